/**
 * A GraphQL subscription over Server-Sent Events (yoga's "distinct connections" mode), as the web client
 * opens it: POST with `accept: text/event-stream`. The request starts at once; `read(until)` parses the
 * stream until `until` holds, the server completes it, or `signal` aborts (the test's bound).
 */
export interface StreamEvent {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions: { code: string } }[];
}

export function openSubscription(url: string, query: string, variables: Record<string, unknown>, token: string, signal: AbortSignal) {
  const response = fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  const events: StreamEvent[] = [];
  const decoder = new TextDecoder();
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  let completed = false;
  let buf = '';
  const read = async (until: (events: StreamEvent[]) => boolean) => {
    try {
      reader ??= (await response).body!.getReader();
      while (!completed && !until(events)) {
        const { value, done } = await reader.read();
        if (done) {
          completed = true;
          break;
        }
        buf += decoder.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const chunk = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = chunk.split('\n').find((l) => l.startsWith('data:'));
          if (chunk.startsWith('event: next') && data) events.push(JSON.parse(data.slice(5)) as StreamEvent);
          if (chunk.startsWith('event: complete')) completed = true;
        }
      }
    } catch (e) {
      if ((e as Error).name !== 'AbortError') throw e;
    }
    return { events, completed };
  };
  return {
    read,
    /** The first `n` events (fewer if the stream ended or was aborted first). */
    next: async (n: number) => (await read((ev) => ev.length >= n)).events.slice(0, n),
    close: async () => {
      await (reader ?? (await response.catch(() => null))?.body?.getReader())?.cancel().catch(() => undefined);
    },
  };
}
