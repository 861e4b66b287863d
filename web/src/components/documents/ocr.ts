/**
 * Digitisation (số hóa) on the client:
 * - `useOcrProgress`: live per-page progress of a scan or a document file, from the `ocrProgress`
 *   subscription (urql over SSE; the server sends the current state first), with polling every 2 s only when
 *   the stream fails (an error, or no answer at all within a few seconds: a proxy that drops event streams);
 * - `readOcrFields`: the Decree 30 fields read off a scan (OcrInfo.fields), checked for shape;
 * - `agencyKey` / `matchAgency`: pairing the printed issuing organ with an agency of the deployment.
 * The pure helpers have no I/O.
 */
import { useEffect, useRef, useState } from 'react';
import { OcrProgressLiveDocument, type OcrState, type Urgency } from '../../graphql/generated';
import { useApiSubscription } from '../../graphql/hooks';

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
/** The stream answers at once with the current state; without any answer after this long, poll. */
export const OCR_STREAM_GRACE_MS = 5000;

interface Follow {
  /** fileId#attempt being followed (null: nothing). */
  key: string | null;
  progress: OcrProgressState | null;
  final: boolean;
  mode: 'live' | 'poll' | null;
  /** The subscription's data when this follow started (an earlier attempt's last event is not news). */
  baseline: unknown;
  heard: boolean;
  /** A state arrived (stream or poll) since the start: a final state then is news (onFinal). */
  arrived: boolean;
}

const startFollow = (key: string | null, initial: OcrProgressState | null, baseline: unknown): Follow => {
  const final = !key || (!!initial && isFinalOcr(initial.status));
  return { key, progress: initial, final, mode: final ? null : 'live', baseline, heard: false, arrived: false };
};

/**
 * Follows the digitisation of `fileId` (a Scan id or a DocumentFile id) until it is DONE or FAILED.
 * `initial` is the state already known (nothing is followed when it is final); `load` reads the current state
 * (used only for polling when the stream fails); `onFinal` runs once when a final state arrives. Change
 * `attempt` to follow the file again (after retryOcr).
 */
export function useOcrProgress(
  fileId: string | null,
  initial: OcrProgressState | null,
  load: () => Promise<OcrProgressState | null>,
  onFinal?: (s: OcrProgressState) => void,
  attempt = 0,
): { progress: OcrProgressState | null; mode: 'live' | 'poll' | null } {
  const key = fileId ? `${fileId}#${attempt}` : null;
  const [follow, setFollow] = useState<Follow>(() => startFollow(key, initial, undefined));
  const current = follow.key === key;
  const live = useApiSubscription(OcrProgressLiveDocument, { fileId: fileId ?? '' }, { pause: !current || follow.final });
  // A new file or attempt: start over (state derived from props, set during render).
  if (!current) setFollow(startFollow(key, initial, live.data));

  const loadRef = useRef(load);
  loadRef.current = load;
  const onFinalRef = useRef(onFinal);
  onFinalRef.current = onFinal;
  const finalFor = useRef<string | null>(null);

  const apply = useRef((forKey: string | null, p: OcrProgressState, mode: 'live' | 'poll') => {
    setFollow((f) => (f.key !== forKey || f.final ? f : { ...f, progress: p, final: isFinalOcr(p.status), mode: isFinalOcr(p.status) ? null : mode, heard: f.heard || mode === 'live', arrived: true }));
  }).current;

  // Events of the stream.
  const data = live.data;
  const baseline = follow.baseline;
  const followKey = follow.key;
  useEffect(() => {
    const p = data?.ocrProgress;
    if (!p || data === baseline || !followKey) return;
    apply(followKey, { status: p.status, pagesDone: p.pagesDone, pagesTotal: p.pagesTotal ?? null, error: p.error ?? null }, 'live');
  }, [data, baseline, followKey, apply]);

  // The stream failed (or never answered): poll.
  const streamFailed = !!live.error;
  const { final, heard, mode } = follow;
  useEffect(() => {
    if (!followKey || final || mode === 'poll') return;
    if (streamFailed) {
      setFollow((f) => (f.key === followKey && !f.final ? { ...f, mode: 'poll' } : f));
      return;
    }
    if (heard) return;
    const t = window.setTimeout(() => setFollow((f) => (f.key === followKey && !f.final && !f.heard ? { ...f, mode: 'poll' } : f)), OCR_STREAM_GRACE_MS);
    return () => window.clearTimeout(t);
  }, [followKey, final, heard, mode, streamFailed]);

  useEffect(() => {
    if (!followKey || final || mode !== 'poll') return;
    let alive = true;
    const refresh = () => {
      loadRef.current().then((p) => {
        if (alive && p) apply(followKey, p, 'poll');
      }, () => undefined);
    };
    refresh();
    const timer = window.setInterval(refresh, OCR_POLL_MS);
    return () => {
      alive = false;
      window.clearInterval(timer);
    };
  }, [followKey, final, mode, apply]);

  // The final state, once per follow.
  const { progress, arrived } = follow;
  useEffect(() => {
    if (!final || !arrived || !followKey || !progress || !isFinalOcr(progress.status) || finalFor.current === followKey) return;
    finalFor.current = followKey;
    onFinalRef.current?.(progress);
  }, [final, arrived, followKey, progress]);

  return { progress: current ? follow.progress : initial, mode: current ? follow.mode : null };
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
