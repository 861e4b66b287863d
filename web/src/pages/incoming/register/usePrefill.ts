/**
 * The prefill from a digitised scan: the fields read off the page fill the form's empty fields that the văn thư
 * has not touched (never over what she typed), each marked "Tự động điền — kiểm tra lại" with the confidence
 * of the reading until she edits it. Removing the scan empties the fields it filled.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import { useClient } from 'urql';
import { formatVnDate } from '../../../../../schema/validation/dates';
import { agencyKey, expandOrganName, LOW_CONFIDENCE, matchAgency, readOcrFields } from '../../../components/documents/ocr';
import { typeKey, type AgencyOption } from '../../../components/documents/pickers';
import { AgencySearchDocument, type ScanInfoFragment } from '../../../graphql/generated';
import type { PrefillSummary } from './machine';
import type { FieldName, RegistrationValues } from './form';

/** Form fields a scan can prefill. */
export type AutoKey = 'issuer' | 'symbol' | 'issuedDate' | 'type' | 'subject' | 'signerName' | 'signerTitle' | 'urgency' | 'pageCount';
/** Prefilled fields still as the scan gave them, with the confidence of the reading (0–1). */
export type AutoFilled = Partial<Record<AutoKey, number>>;

const AUTO_KEYS: readonly AutoKey[] = ['issuer', 'symbol', 'issuedDate', 'type', 'subject', 'signerName', 'signerTitle', 'urgency', 'pageCount'];

/** Whether `k` is empty in `v` (the default urgency counts as empty). */
export function isEmptyField(v: RegistrationValues, k: AutoKey): boolean {
  if (k === 'issuer') return !v.issuer.name.trim();
  if (k === 'urgency') return v.urgency === 'THUONG';
  return !v[k].trim();
}

/** The type <select> value for the type read off a scan: the agency's type by code, else by name. */
export function typeFromScan(types: readonly { code?: string | null; name: string }[], code: string | null, name: string | null): string | null {
  const byCode = code ? types.find((x) => x.code === code) : undefined;
  if (byCode) return typeKey(byCode);
  const byName = name ? types.find((x) => agencyKey(x.name) === agencyKey(name)) : undefined;
  if (byName) return typeKey(byName);
  return name ? `name:${name}` : code ? `code:${code}` : null;
}

type Candidates = { [K in AutoKey]?: { value: RegistrationValues[K]; confidence: number } };

/**
 * Which candidates fill which fields (pure): empty and untouched ones only. Returns the values to set, the
 * marks (confidence by field) and the summary shown above the form.
 */
export function planPrefill(current: RegistrationValues, touched: ReadonlySet<FieldName>, candidates: Candidates) {
  const values: Partial<RegistrationValues> = {};
  const marks: AutoFilled = {};
  let kept = 0;
  for (const k of AUTO_KEYS) {
    const c = candidates[k];
    if (!c) continue;
    if (touched.has(k) || !isEmptyField(current, k)) {
      kept++;
      continue;
    }
    (values as Record<AutoKey, unknown>)[k] = c.value;
    marks[k] = c.confidence;
  }
  const summary: PrefillSummary = { filled: Object.keys(marks).length, low: Object.values(marks).filter((c) => c < LOW_CONFIDENCE).length, kept };
  return { values, marks, summary };
}

export function usePrefill(form: UseFormReturn<RegistrationValues, unknown, RegistrationValues>, types: readonly { code?: string | null; name: string }[], empty: RegistrationValues) {
  const client = useClient();
  const [autoFilled, setAutoFilled] = useState<AutoFilled>({});
  const autoNow = useRef(autoFilled);
  autoNow.current = autoFilled;
  /** Fields the văn thư changed: a scan never overwrites them. */
  const touched = useRef(new Set<FieldName>());
  const typesNow = useRef(types);
  typesNow.current = types;

  // The văn thư's own edits (events of type "change"; setValue from the prefill has none).
  const { watch } = form;
  useEffect(() => {
    const sub = watch((_v, { name, type }) => {
      if (type !== 'change' || !name) return;
      const root = name.split('.')[0] as FieldName;
      touched.current.add(root);
      setAutoFilled((a) => {
        if (!(root in a)) return a;
        const next = { ...a };
        delete next[root as AutoKey];
        return next;
      });
    });
    return () => sub.unsubscribe();
  }, [watch]);

  const findAgency = useCallback(
    async (organ: string, superior: string | null): Promise<AgencyOption | null> => {
      const found: AgencyOption[] = [];
      for (const search of [...new Set([organ, expandOrganName(organ)])]) {
        const r = await client.query(AgencySearchDocument, { search, first: 20 }).toPromise();
        found.push(...(r.data?.agencies.edges.map((e) => e.node) ?? []));
      }
      return matchAgency(organ, superior, found);
    },
    [client],
  );

  /** Fills the empty, untouched fields from a digitised scan; null when `stillCurrent()` turned false meanwhile. */
  const prefillFrom = useCallback(
    async (s: ScanInfoFragment, stillCurrent: () => boolean): Promise<PrefillSummary | null> => {
      const f = readOcrFields(s.ocr.fields);
      const agency = f.organ.value ? await findAgency(f.organ.value, f.superiorOrgan.value).catch(() => null) : null;
      if (!stillCurrent()) return null;
      const typeValue = typeFromScan(typesNow.current, f.typeCode.value, f.typeName.value);
      const candidates: Candidates = {
        issuer: f.organ.value ? { value: { name: agency?.name ?? f.organ.value, agency }, confidence: f.organ.confidence } : undefined,
        symbol: f.symbol.value ? { value: f.symbol.value, confidence: f.symbol.confidence } : undefined,
        issuedDate: f.issuedDate.value ? { value: formatVnDate(f.issuedDate.value), confidence: f.issuedDate.confidence } : undefined,
        type: typeValue ? { value: typeValue, confidence: Math.max(f.typeName.confidence, f.typeCode.confidence) } : undefined,
        subject: f.excerpt.value ? { value: f.excerpt.value, confidence: f.excerpt.confidence } : undefined,
        signerName: f.signer.value ? { value: f.signer.value, confidence: f.signer.confidence } : undefined,
        signerTitle: f.signerTitle.value ? { value: f.signerTitle.value, confidence: f.signerTitle.confidence } : undefined,
        urgency: f.urgency.value && f.urgency.value !== 'THUONG' ? { value: f.urgency.value, confidence: f.urgency.confidence } : undefined,
        pageCount: s.ocr.pagesTotal ? { value: String(s.ocr.pagesTotal), confidence: 1 } : undefined,
      };
      const plan = planPrefill(form.getValues(), touched.current, candidates);
      for (const [k, v] of Object.entries(plan.values) as [AutoKey, RegistrationValues[AutoKey]][]) {
        form.setValue(k, v, { shouldDirty: false });
        form.clearErrors(k);
      }
      setAutoFilled((a) => ({ ...a, ...plan.marks }));
      return plan.summary;
    },
    [findAgency, form],
  );

  /** The scan is removed: the fields it filled that nobody changed are emptied again. */
  const clearPrefill = useCallback(() => {
    for (const k of Object.keys(autoNow.current) as AutoKey[]) form.setValue(k, empty[k], { shouldDirty: false });
    setAutoFilled({});
  }, [form, empty]);

  /** A new registration: nothing touched, nothing prefilled. */
  const resetPrefill = useCallback(() => {
    touched.current.clear();
    setAutoFilled({});
  }, []);

  return { autoFilled, prefillFrom, clearPrefill, resetPrefill };
}
