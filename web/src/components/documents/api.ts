/**
 * Data helpers for the documents screens:
 * - `useQuery`: run a typed query, keep its data, reload on demand (and when documents change);
 * - `requestWithFiles`: a mutation with `Upload` variables, as a GraphQL multipart request;
 * - `notifyDocumentsChanged` / `onDocumentsChanged`: after any action, lists and inbox counts refetch.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { OperationDefinitionNode } from 'graphql';
import { print } from 'graphql/language/printer';
import { ApiError, GRAPHQL_ENDPOINT, request, type ApiErrorCode } from '../../graphql/client';

// --- change notifications -------------------------------------------------------------------------------
const listeners = new Set<() => void>();

/** Something changed (a document was registered, annotated, signed …): lists and counts refetch. */
export function notifyDocumentsChanged(): void {
  for (const l of [...listeners]) l();
}

export function onDocumentsChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

// --- queries --------------------------------------------------------------------------------------------
export interface QueryState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Re-run the query (keeps the current data while loading). */
  reload(): void;
  /** Replace the data (e.g. with a mutation's result). */
  setData(data: T): void;
}

/**
 * Runs `doc` with `vars` whenever the serialised variables change (or `reload()` is called), unless `skip`.
 * Stale answers of an earlier run are ignored. With `refetchOnChange`, documents-changed events reload it.
 */
export function useQuery<TData, TVars extends Record<string, unknown>>(
  doc: TypedDocumentNode<TData, TVars>,
  vars: TVars,
  opts: { skip?: boolean; refetchOnChange?: boolean } = {},
): QueryState<TData> {
  const [data, setData] = useState<TData | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(!opts.skip);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(vars);
  const varsRef = useRef(vars);
  varsRef.current = vars;
  const run = useRef(0);

  useEffect(() => {
    if (opts.skip) {
      setLoading(false);
      return;
    }
    const mine = ++run.current;
    const controller = new AbortController();
    setLoading(true);
    const call = request as (d: TypedDocumentNode<TData, TVars>, v: TVars, o: { signal: AbortSignal }) => Promise<TData>;
    call(doc, varsRef.current, { signal: controller.signal }).then(
      (d) => {
        if (mine !== run.current) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== run.current || (e instanceof DOMException && e.name === 'AbortError')) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [doc, key, tick, opts.skip]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => (opts.refetchOnChange ? onDocumentsChanged(reload) : undefined), [opts.refetchOnChange, reload]);
  return { data, error, loading, reload, setData };
}

// --- multipart ------------------------------------------------------------------------------------------
const isFile = (v: unknown): v is Blob => typeof Blob !== 'undefined' && v instanceof Blob;

/** Replaces every File/Blob in `value` by null and records its path (GraphQL multipart request spec). */
function extractFiles(value: unknown, path: string, files: { path: string; file: Blob }[]): unknown {
  if (isFile(value)) {
    files.push({ path, file: value });
    return null;
  }
  if (Array.isArray(value)) return value.map((v, i) => extractFiles(v, `${path}.${i}`, files));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, extractFiles(v, `${path}.${k}`, files)]));
  }
  return value;
}

const KNOWN: ReadonlySet<string> = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'INTERNAL']);

/**
 * Like `request()`, but sends `Upload` variables (File objects anywhere in `vars`) as multipart/form-data.
 * Without files it is a plain `request()`. The cookie session needs the CSRF header on multipart requests.
 */
export async function requestWithFiles<TData, TVars extends Record<string, unknown>>(doc: TypedDocumentNode<TData, TVars>, vars: TVars): Promise<TData> {
  const files: { path: string; file: Blob }[] = [];
  const variables = extractFiles(vars, 'variables', files) as TVars;
  if (files.length === 0) return (request as (d: TypedDocumentNode<TData, TVars>, v: TVars) => Promise<TData>)(doc, vars);

  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: doc.loc?.source.body ?? print(doc), operationName: op?.name?.value, variables }));
  form.append('map', JSON.stringify(Object.fromEntries(files.map((f, i) => [String(i), [f.path]]))));
  files.forEach((f, i) => form.append(String(i), f.file, f.file instanceof File ? f.file.name : `file-${i}`));

  let response: Response;
  try {
    response = await fetch(GRAPHQL_ENDPOINT, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/graphql-response+json, application/json', 'x-congvan-csrf': '1' },
      body: form,
    });
  } catch {
    throw new ApiError('NETWORK', 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.');
  }
  let body: { data?: TData | null; errors?: { message: string; extensions?: Record<string, unknown> }[] } | undefined;
  try {
    body = (await response.json()) as typeof body;
  } catch {
    body = undefined;
  }
  if (!body || (body.data == null && !body.errors?.length)) {
    throw new ApiError(response.status >= 500 ? 'NETWORK' : 'INTERNAL', 'Máy chủ không phản hồi đúng. Vui lòng thử lại sau.', { status: response.status });
  }
  const [first, ...others] = body.errors ?? [];
  if (first) {
    const ext = first.extensions ?? {};
    const raw = typeof ext.code === 'string' ? ext.code : 'INTERNAL';
    throw new ApiError((KNOWN.has(raw) ? raw : 'INTERNAL') as ApiErrorCode, first.message, ext, others);
  }
  return body.data as TData;
}
