/**
 * Thẩm quyền ký and "văn bản quy phạm pháp luật" on the outgoing draft form (issue 12). Presentational: the
 * draft form owns the values (react-hook-form, schema/validation/signing-authority.ts `draftAuthority`).
 * Mode '' = the default fixed at signing (TM. for a UBND, KT. for a deputy, else the head directly).
 */
import { useTranslation } from 'react-i18next';
import { SIGNING_AUTHORITY_MODES, type AuthorityMode } from '../../../../../schema/validation/signing-authority';
import { Field } from '../fields';

export interface AuthorityValue {
  mode: '' | AuthorityMode;
  collective: string;
  principal: string;
}

export const EMPTY_AUTHORITY: AuthorityValue = { mode: '', collective: '', principal: '' };

/** The form value of a document's recorded authority (null = the default). */
export function authorityValueOf(a: { mode: AuthorityMode; collective?: string | null; principal?: string | null } | null | undefined): AuthorityValue {
  return a ? { mode: a.mode, collective: a.collective ?? '', principal: a.principal ?? '' } : EMPTY_AUTHORITY;
}

/** The lines as they will be printed (upper case), for the preview under the fields. */
export function previewLines(v: AuthorityValue): string[] {
  const up = (s: string) => s.trim().toLocaleUpperCase('vi-VN');
  if (!v.mode || v.mode === 'DIRECT') return [];
  const lines: string[] = [];
  if ((v.mode === 'TM' || v.mode === 'KT') && v.collective.trim()) lines.push(`TM. ${up(v.collective)}`);
  if (v.mode !== 'TM' && v.principal.trim()) lines.push(`${v.mode}. ${up(v.principal)}`);
  return lines;
}

export function AuthorityFields({
  value,
  onChange,
  errors,
  legalNormative,
  onLegalNormativeChange,
}: {
  value: AuthorityValue;
  onChange: (v: AuthorityValue) => void;
  errors?: { mode?: string; collective?: string; principal?: string };
  legalNormative: boolean;
  onLegalNormativeChange: (v: boolean) => void;
}) {
  const { t } = useTranslation();
  const showCollective = value.mode === 'TM' || value.mode === 'KT';
  const showPrincipal = value.mode !== '' && value.mode !== 'TM' && value.mode !== 'DIRECT';
  const lines = previewLines(value);
  return (
    <fieldset className="doc-span-2 doc-fieldset" data-field="authority">
      <legend>{t('issuing.authority')}</legend>
      <div className="doc-form__grid">
        <Field label={t('issuing.draft.mode')} error={errors?.mode} hint={value.mode === '' ? t('issuing.draft.modeDefaultHint') : t(`issuing.draft.modeHint.${value.mode}`)}>
          {(c) => (
            <select {...c} data-field="authority.mode" value={value.mode} onChange={(e) => onChange({ ...value, mode: e.target.value as AuthorityValue['mode'] })}>
              <option value="">{t('issuing.authorityDefault')}</option>
              {SIGNING_AUTHORITY_MODES.map((m) => (
                <option key={m} value={m}>
                  {t(`issuing.draft.modes.${m}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {showCollective ? (
          <Field label={t('issuing.draft.collective')} required={value.mode === 'TM'} error={errors?.collective} hint={t('issuing.draft.collectiveHint')}>
            {(c) => <input {...c} type="text" data-field="authority.collective" value={value.collective} onChange={(e) => onChange({ ...value, collective: e.target.value })} />}
          </Field>
        ) : null}
        {showPrincipal ? (
          <Field label={t('issuing.draft.principal')} required error={errors?.principal} hint={t('issuing.draft.principalHint')}>
            {(c) => <input {...c} type="text" data-field="authority.principal" value={value.principal} onChange={(e) => onChange({ ...value, principal: e.target.value })} />}
          </Field>
        ) : null}
      </div>
      {lines.length ? (
        <p className="doc-small doc-muted" data-testid="authority-preview">
          {t('issuing.draft.preview')} <strong>{lines.join(' / ')}</strong>
        </p>
      ) : null}
      <label className="doc-check">
        <input type="checkbox" checked={legalNormative} onChange={(e) => onLegalNormativeChange(e.target.checked)} /> {t('issuing.legalNormative')}
      </label>
    </fieldset>
  );
}
