/**
 * Digitisation (số hóa) on the client:
 * - `useOcrProgress`: live per-page progress of a scan or a document file, from the `ocrProgress`
 *   subscription (SSE), with polling every 2 s when the event stream is unavailable;
 * - `readOcrFields`: the Decree 30 fields read off a scan (OcrInfo.fields), checked for shape;
 * - `agencyKey` / `matchAgency`: pairing the printed issuing organ with an agency of the deployment.
 * The pure helpers have no I/O.
 */
import { useEffect, useRef, useState } from 'react';
import type { OcrState, Urgency } from '../../graphql/generated';
import { GRAPHQL_ENDPOINT } from '../../graphql/client';

// --- progress --------------------------------------------------------------------------------------------
export interface OcrProgressState {
  status: OcrState;
  pagesDone: number;
  pagesTotal: number | null;
  error: string | null;
}

export const isFinalOcr = (s: OcrState | null | undefined): boolean => s === 'DONE' || s === 'FAILED';

/** Polling period when the event stream is unavailable. */
export const OCR_POLL_MS = 2000;

const OCR_PROGRESS = 'subscription OcrProgress($id: ID!){ ocrProgress(fileId: $id){ status pagesDone pagesTotal error } }';

function parseProgress(data: string): OcrProgressState | null {
  try {
    const p = (JSON.parse(data) as { data?: { ocrProgress?: OcrProgressState | null } | null }).data?.ocrProgress;
    return p && typeof p.status === 'string' ? p : null;
  } catch {
    return null;
  }
}

/**
 * Follows the digitisation of `fileId` (a Scan id or a DocumentFile id) until it is DONE or FAILED.
 * `initial` is the state already known (no subscription when it is final); `load` reads the current state
 * (used once the stream is open — an event may have been missed before — and for polling); `onFinal` runs
 * once when a final state arrives. Change `attempt` to follow the file again (after retryOcr).
 */
export function useOcrProgress(
  fileId: string | null,
  initial: OcrProgressState | null,
  load: () => Promise<OcrProgressState | null>,
  onFinal?: (s: OcrProgressState) => void,
  attempt = 0,
): { progress: OcrProgressState | null; mode: 'live' | 'poll' | null } {
  const [progress, setProgress] = useState<OcrProgressState | null>(initial);
  const [mode, setMode] = useState<'live' | 'poll' | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const onFinalRef = useRef(onFinal);
  onFinalRef.current = onFinal;
  const initialRef = useRef(initial);
  initialRef.current = initial;

  useEffect(() => {
    if (!fileId) return;
    const start = initialRef.current;
    setProgress(start);
    if (start && isFinalOcr(start.status)) return;
    let alive = true;
    let final = false;
    let source: EventSource | null = null;
    let timer: number | undefined;

    const stop = () => {
      source?.close();
      source = null;
      if (timer !== undefined) window.clearInterval(timer);
      timer = undefined;
    };
    const apply = (s: OcrProgressState | null) => {
      if (!alive || final || !s) return;
      setProgress(s);
      if (isFinalOcr(s.status)) {
        final = true;
        stop();
        setMode(null);
        onFinalRef.current?.(s);
      }
    };
    const refresh = () => {
      loadRef.current().then(apply, () => undefined);
    };
    const poll = () => {
      source?.close();
      source = null;
      if (!alive || final || timer !== undefined) return;
      setMode('poll');
      refresh();
      timer = window.setInterval(refresh, OCR_POLL_MS);
    };

    if (typeof EventSource === 'function') {
      const url = `${GRAPHQL_ENDPOINT}?query=${encodeURIComponent(OCR_PROGRESS)}&variables=${encodeURIComponent(JSON.stringify({ id: fileId }))}`;
      source = new EventSource(url);
      setMode('live');
      // Events published before the stream opened are not replayed: read the state once it is open.
      source.addEventListener('open', refresh);
      source.addEventListener('next', (e) => apply(parseProgress((e as MessageEvent<string>).data)));
      // The server ends the stream (e.g. an error in the subscription): go on by polling.
      source.addEventListener('complete', poll);
      source.addEventListener('error', poll);
    } else {
      poll();
    }
    return () => {
      alive = false;
      stop();
    };
  }, [fileId, attempt]);

  return { progress, mode };
}

// --- fields read off the scan -----------------------------------------------------------------------------
export interface OcrField<T> {
  value: T | null;
  confidence: number;
}

export interface OcrFields {
  organ: OcrField<string>;
  superiorOrgan: OcrField<string>;
  symbol: OcrField<string>;
  typeName: OcrField<string>;
  typeCode: OcrField<string>;
  excerpt: OcrField<string>;
  issuedDate: OcrField<string>;
  signer: OcrField<string>;
  signerTitle: OcrField<string>;
  urgency: OcrField<Urgency>;
}

/** Below this confidence a prefilled field is highlighted for a careful check. */
export const LOW_CONFIDENCE = 0.8;

const URGENCIES: readonly string[] = ['THUONG', 'KHAN', 'THUONG_KHAN', 'HOA_TOC'];

function textField(raw: unknown, valid: (s: string) => boolean = () => true): OcrField<string> {
  if (!raw || typeof raw !== 'object') return { value: null, confidence: 0 };
  const { value, confidence } = raw as { value?: unknown; confidence?: unknown };
  const text = typeof value === 'string' ? value.normalize('NFC').replace(/\s+/g, ' ').trim() : '';
  const conf = typeof confidence === 'number' && Number.isFinite(confidence) ? Math.max(0, Math.min(1, confidence)) : 0;
  return text && valid(text) ? { value: text, confidence: conf } : { value: null, confidence: conf };
}

/** OcrInfo.fields (JSON) as typed fields; anything malformed reads as "not found". */
export function readOcrFields(json: unknown): OcrFields {
  const o = json && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  const urgency = textField(o.urgency, (s) => URGENCIES.includes(s));
  return {
    organ: textField(o.organ),
    superiorOrgan: textField(o.superiorOrgan),
    symbol: textField(o.symbol),
    typeName: textField(o.typeName),
    typeCode: textField(o.typeCode),
    excerpt: textField(o.excerpt),
    issuedDate: textField(o.issuedDate, (s) => /^\d{4}-\d{2}-\d{2}$/.test(s)),
    signer: textField(o.signer),
    signerTitle: textField(o.signerTitle),
    urgency: { value: urgency.value as Urgency | null, confidence: urgency.confidence },
  };
}

// --- issuing organ → agency of the deployment -------------------------------------------------------------
const ABBREVIATIONS: ReadonlyArray<[RegExp, string]> = [
  [/\bubnd\b/g, 'uy ban nhan dan'],
  [/\bhdnd\b/g, 'hoi dong nhan dan'],
  [/\btp\b/g, 'thanh pho'],
];

/** Accent-free, lower-case words with UBND/HĐND/TP spelled out: "UBND TỈNH BẮC NINH" → "uy ban nhan dan tinh bac ninh". */
export function agencyKey(name: string): string {
  let k = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  for (const [re, full] of ABBREVIATIONS) k = k.replace(re, full);
  return k;
}

/** "UBND TỈNH BẮC NINH" → "Ủy ban nhân dân TỈNH BẮC NINH" (a search text the agencies' names contain). */
export function expandOrganName(name: string): string {
  return name.replace(/\bUBND\b/g, 'Ủy ban nhân dân').replace(/\bHĐND\b/g, 'Hội đồng nhân dân');
}

/**
 * The agency whose name is the printed organ, alone or followed by the place of its superior organ
 * ("SỞ NỘI VỤ" under "UBND TỈNH BẮC NINH" → "Sở Nội vụ tỉnh Bắc Ninh"). Only an unambiguous match counts.
 */
export function matchAgency<A extends { id: string; name: string }>(organ: string, superior: string | null, candidates: readonly A[]): A | null {
  const own = agencyKey(organ);
  if (!own) return null;
  const targets = new Set([own]);
  const place = superior ? agencyKey(superior).replace(/^(uy ban nhan dan|hoi dong nhan dan)\s+/, '') : '';
  if (place && /^(tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran)\b/.test(place) && !own.endsWith(place)) targets.add(`${own} ${place}`);
  const hits = [...new Map(candidates.filter((a) => targets.has(agencyKey(a.name))).map((a) => [a.id, a])).values()];
  return hits.length === 1 ? hits[0] : null;
}
