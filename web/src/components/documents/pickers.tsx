import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../auth/session';
import {
  AgencySearchDocument,
  DocumentTypesDocument,
  ExchangeDirectoryDocument,
  PeopleSearchDocument,
  UnitsOfDocument,
  type AgencySearchQuery,
  type Role,
} from '../../graphql/generated';
import { useApiQuery } from '../../graphql/hooks';
import { Icon } from '../Icon';
import type { ControlProps } from './fields';

export type AgencyOption = AgencySearchQuery['agencies']['edges'][number]['node'];

/** Agencies of the deployment matching `search` (debounced), for pickers. */
export function useAgencySearch(search: string, first = 20) {
  const [term, setTerm] = useState(search);
  useEffect(() => {
    const h = window.setTimeout(() => setTerm(search.trim()), 250);
    return () => window.clearTimeout(h);
  }, [search]);
  const q = useApiQuery(AgencySearchDocument, { search: term || null, first });
  return { agencies: q.data?.agencies.edges.map((e) => e.node) ?? [], loading: q.fetching, error: q.error ?? null };
}

/**
 * A recipient agency: of this deployment (`id` set) or of a peer deployment reached through the exchange
 * (`id` empty, `peerName` set; stored by its code — recipientAgencyCodes).
 */
export type RecipientOption = AgencyOption & { peerName?: string | null };

/** The exchange directory (ours and peers' agencies, with their codes) matching `search`, debounced. */
export function useDirectorySearch(search: string) {
  const [term, setTerm] = useState(search);
  useEffect(() => {
    const h = window.setTimeout(() => setTerm(search.trim()), 250);
    return () => window.clearTimeout(h);
  }, [search]);
  const q = useApiQuery(ExchangeDirectoryDocument, { search: term || null });
  const agencies: RecipientOption[] = useMemo(
    () => (q.data?.exchangeDirectory ?? []).map((e) => ({ id: e.agencyId ?? '', code: e.code, name: e.name, abbr: '', peerName: e.peerName ?? null })),
    [q.data],
  );
  return { agencies, loading: q.fetching, error: q.error ?? null };
}

/**
 * Cơ quan ban hành: free text with suggestions from the deployment's agencies (a <datalist>). Typing an
 * agency's exact name (or picking it) links the agency; anything else is an external issuer by name.
 */
export function IssuerInput({
  control,
  value,
  onChange,
}: {
  control: ControlProps;
  value: { name: string; agency: AgencyOption | null };
  onChange: (v: { name: string; agency: AgencyOption | null }) => void;
}) {
  const { t } = useTranslation();
  const listId = useId();
  const { agencies } = useAgencySearch(value.name);
  const statusId = `${control.id}-status`;
  return (
    <>
      <input
        {...control}
        aria-describedby={[control['aria-describedby'], statusId].filter(Boolean).join(' ')}
        type="text"
        list={listId}
        autoComplete="off"
        value={value.name}
        onChange={(e) => {
          const name = e.target.value;
          const match = agencies.find((a) => a.name === name) ?? null;
          onChange({ name, agency: match });
        }}
      />
      <datalist id={listId}>
        {agencies.map((a) => (
          <option key={a.id} value={a.name}>
            {a.code}
          </option>
        ))}
      </datalist>
      <p id={statusId} className="doc-field__hint" aria-live="polite">
        {value.agency
          ? t('doc.register.issuerInSystem', { code: value.agency.code })
          : value.name.trim()
            ? t('doc.register.issuerExternal')
            : ''}
      </p>
    </>
  );
}

/**
 * Nơi nhận: agencies of the exchange directory — this deployment's and peer deployments' (search +
 * checkboxes, each with its mã định danh) — and external bodies by name.
 */
export function RecipientsPicker({
  selected,
  onChange,
  external,
  onExternalChange,
  error,
}: {
  selected: RecipientOption[];
  onChange: (v: RecipientOption[]) => void;
  external: string[];
  onExternalChange: (v: string[]) => void;
  error?: string | null;
}) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [search, setSearch] = useState('');
  const [externalText, setExternalText] = useState('');
  const directory = useDirectorySearch(search);
  // Without the directory (an error), the agencies of this deployment still work.
  const local = useApiQuery(AgencySearchDocument, { search: search.trim() || null, first: 30 }, { pause: !directory.error });
  const agencies: RecipientOption[] = directory.error ? (local.data?.agencies.edges.map((e) => e.node) ?? []) : directory.agencies;
  const loading = directory.error ? local.fetching : directory.loading;
  const codes = new Set(selected.map((a) => a.code));
  const options = agencies.filter((a) => a.id !== user.agency.id && a.code !== user.agency.code);
  const toggle = (a: RecipientOption, on: boolean) => onChange(on ? [...selected, a] : selected.filter((s) => s.code !== a.code));
  const addExternal = () => {
    const name = externalText.trim().normalize('NFC');
    if (name && !external.includes(name)) onExternalChange([...external, name]);
    setExternalText('');
  };
  return (
    <fieldset className="doc-fieldset" aria-describedby={error ? 'recipients-error' : undefined}>
      <legend>{t('doc.draft.recipients')}</legend>
      {selected.length + external.length > 0 ? (
        <ul className="doc-chips" aria-label={t('doc.draft.recipientsChosen')}>
          {selected.map((a) => (
            <li key={a.code} className="doc-chip">
              <span>
                {a.name}
                {a.peerName ? <span className="doc-muted"> ({t('peers.picker.otherSystem', { name: a.peerName })})</span> : null}
              </span>
              <button type="button" className="doc-chip__remove" onClick={() => toggle(a, false)} aria-label={t('doc.draft.removeRecipient', { name: a.name })}>
                <Icon name="close" />
              </button>
            </li>
          ))}
          {external.map((n) => (
            <li key={n} className="doc-chip doc-chip--external">
              <span>
                {n} <span className="doc-muted">({t('doc.draft.externalShort')})</span>
              </span>
              <button
                type="button"
                className="doc-chip__remove"
                onClick={() => onExternalChange(external.filter((x) => x !== n))}
                aria-label={t('doc.draft.removeRecipient', { name: n })}
              >
                <Icon name="close" />
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="doc-muted">{t('doc.draft.noRecipients')}</p>
      )}
      <div className="doc-field">
        <label htmlFor="recipient-search">{t('doc.draft.searchAgency')}</label>
        <input id="recipient-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t('doc.draft.searchAgencyPlaceholder')} />
      </div>
      <div className="doc-checklist" role="group" aria-label={t('doc.draft.agencyResults')} aria-busy={loading}>
        {options.length === 0 && !loading ? <p className="doc-muted">{t('doc.draft.noAgencyFound')}</p> : null}
        {directory.error ? <p className="doc-muted">{t('peers.picker.directoryUnavailable')}</p> : null}
        {options.map((a) => (
          <label key={a.code} className="doc-check" title={a.peerName ? t('peers.picker.otherSystemHint') : undefined}>
            <input type="checkbox" checked={codes.has(a.code)} onChange={(e) => toggle(a, e.target.checked)} />
            <span>
              {a.name} <span className="doc-muted doc-small">({a.code}{a.peerName ? ` — ${t('peers.picker.otherSystem', { name: a.peerName })}` : ''})</span>
            </span>
          </label>
        ))}
      </div>
      <div className="doc-field">
        <label htmlFor="recipient-external">{t('doc.draft.externalRecipient')}</label>
        <div className="doc-search">
          <input
            id="recipient-external"
            type="text"
            value={externalText}
            onChange={(e) => setExternalText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                addExternal();
              }
            }}
          />
          <button type="button" className="btn btn--secondary" onClick={addExternal}>
            {t('doc.draft.addExternal')}
          </button>
        </div>
      </div>
      {error ? (
        <p id="recipients-error" className="doc-field__error">
          <Icon name="alert" /> {error}
        </p>
      ) : null}
    </fieldset>
  );
}

export interface Person {
  id: string;
  fullName: string;
  title?: string | null;
  roles?: readonly Role[];
  unit?: { id: string; abbr: string; name: string } | null;
}

/**
 * Staff of the caller's agency (`colleagues`, open to every signed-in user), filtered by roles and/or unit.
 */
export function usePeople(filter: { roles?: readonly Role[]; unitId?: string | null; extra?: readonly Person[] }) {
  const q = useApiQuery(PeopleSearchDocument, { search: null });
  const unavailable = q.error?.code === 'FORBIDDEN';
  const people = useMemo(() => {
    const fromApi: Person[] = (q.data?.colleagues ?? []).filter((p) => p.active);
    const all = new Map<string, Person>();
    for (const p of [...fromApi, ...(filter.extra ?? [])]) if (!all.has(p.id)) all.set(p.id, p);
    return [...all.values()].filter(
      (p) =>
        (!filter.roles?.length || !p.roles || filter.roles.some((r) => p.roles!.includes(r))) &&
        (!filter.unitId || !p.unit || p.unit.id === filter.unitId),
    );
  }, [q.data, filter.roles, filter.unitId, filter.extra]);
  return { people, loading: q.fetching, unavailable, error: unavailable ? null : (q.error ?? null) };
}

/** A <select> of people (name, chức vụ, đơn vị). */
export function PersonSelect({
  control,
  people,
  value,
  onChange,
  placeholder,
}: {
  control: ControlProps;
  people: readonly Person[];
  value: string;
  onChange: (id: string) => void;
  placeholder: string;
}) {
  return (
    <select {...control} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{placeholder}</option>
      {people.map((p) => (
        <option key={p.id} value={p.id}>
          {p.fullName}
          {p.title ? ` — ${p.title}` : ''}
          {p.unit ? ` (${p.unit.abbr})` : ''}
        </option>
      ))}
    </select>
  );
}

/** Units of the caller's agency. */
export function useUnits() {
  const q = useApiQuery(UnitsOfDocument, { agencyId: null });
  return { units: q.data?.units ?? [], loading: q.fetching, error: q.error ?? null };
}

/** Loại văn bản of the caller's agency. */
export function useDocumentTypes() {
  const q = useApiQuery(DocumentTypesDocument, {});
  return { types: q.data?.documentTypes ?? [], loading: q.fetching, error: q.error ?? null };
}

/** Value of a type <select>: the code, or "name:<name>" for types without a code (công văn, thư công). */
export const typeKey = (t: { code?: string | null; name: string }) => (t.code ? `code:${t.code}` : `name:${t.name}`);

export const ACCEPTED_SCANS = '.pdf,.jpg,.jpeg,.png,.tif,.tiff,application/pdf,image/jpeg,image/png,image/tiff';
export const ACCEPTED_DRAFTS = '.pdf,.doc,.docx,.odt,application/pdf';


/** A <select> of document types (Decree 30 name with its code), keyed by `typeKey`. */
export function TypeSelect({
  control,
  value,
  options,
  placeholder,
  onChange,
}: {
  control: ControlProps;
  value: string;
  options: readonly { code?: string | null; name: string }[];
  placeholder: string;
  onChange: (key: string) => void;
}) {
  return (
    <select {...control} data-field="type" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{placeholder}</option>
      {options.map((x) => (
        <option key={typeKey(x)} value={typeKey(x)}>
          {x.name}
          {x.code ? ` (${x.code})` : ''}
        </option>
      ))}
    </select>
  );
}
