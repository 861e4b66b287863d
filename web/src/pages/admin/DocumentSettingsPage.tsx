import { useEffect, useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import { formatVnDate } from '../../../../schema/validation/dates';
import { holidaySchema, type HolidayFormInput, type HolidayFormValues } from '../../../../schema/validation/holidays';
import { DateInput } from '../../components/DateInput';
import { Field, LoadState } from '../../components/documents/fields';
import { AdminDocumentSettingsDocument, AdminSetHolidaysDocument, AdminUpdateNumberingDocument, type OutgoingNumbering } from '../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../graphql/hooks';
import { ApprovalChainSection } from './settings/ApprovalChainSection';
import { DocumentTypesSection } from './settings/DocumentTypesSection';
import { IncomingRegistersSection } from './settings/IncomingRegistersSection';
import { ActionFeedback } from '../../components/formParts';

const NUMBERING: readonly OutgoingNumbering[] = ['SHARED', 'SHARED_EXCEPT_QD', 'PER_TYPE'];
const thisYear = () => Number(new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 4));

interface HolidayRow {
  date: string;
  name: string;
  public: boolean;
}

/** Thêm một ngày nghỉ vào danh sách của năm. */
function AddHolidayForm({ year, onAdd }: { year: number; onAdd: (h: HolidayFormValues) => string | null }) {
  const { t } = useTranslation();
  const resolver = useMemo(() => zodResolver(holidaySchema(year)), [year]);
  const { control, register, handleSubmit, reset, setError, formState } = useForm<HolidayFormInput, unknown, HolidayFormValues>({ resolver, defaultValues: { date: '', name: '' } });
  const submit = handleSubmit((v) => {
    const problem = onAdd(v);
    if (problem) setError('date', { message: problem });
    else reset({ date: '', name: '' });
  });
  return (
    <form className="doc-form doc-form--inline" noValidate onSubmit={(e) => void submit(e)} aria-label={t('admin.settings.addHoliday')}>
      <div className="doc-form__grid">
        <Controller
          control={control}
          name="date"
          render={({ field }) => (
            <Field label={t('admin.settings.holidayDate')} required error={formState.errors.date?.message}>
              {(c) => <DateInput {...c} ref={field.ref} name={field.name} value={field.value} onChange={field.onChange} onBlur={field.onBlur} />}
            </Field>
          )}
        />
        <Field label={t('admin.settings.holidayName')} required error={formState.errors.name?.message}>
          {(p) => <input {...p} autoComplete="off" {...register('name')} />}
        </Field>
      </div>
      <div className="doc-form__actions">
        <button type="submit" className="btn btn--secondary">
          {t('admin.settings.addHoliday')}
        </button>
      </div>
    </form>
  );
}

/**
 * Cấu hình văn bản: outgoing numbering policy, the holidays of a year (Vietnam's public holidays pre-filled,
 * editable), the sổ văn bản đến, the approval chain and the document types (each section its own form).
 */
export default function DocumentSettingsPage() {
  const { t } = useTranslation();
  const [year, setYear] = useState(thisYear);
  const q = useApiQuery(AdminDocumentSettingsDocument, { year }, { requestPolicy: 'cache-and-network' });
  const [updateNumbering, { fetching: savingNumbering }] = useApiMutation(AdminUpdateNumberingDocument);
  const [setHolidays, { fetching: savingHolidays }] = useApiMutation(AdminSetHolidaysDocument);
  const settings = q.data?.documentSettings;

  const [numbering, setNumbering] = useState<OutgoingNumbering | null>(null);
  const [rows, setRows] = useState<HolidayRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (settings) setRows(settings.holidaysOfYear.map((h) => ({ date: h.date, name: h.name, public: h.public })));
  }, [settings]);
  const current = numbering ?? settings?.outgoingNumbering ?? 'SHARED';

  const run = async (fn: () => Promise<string>) => {
    setError(null);
    setNotice(null);
    try {
      setNotice(await fn());
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section aria-labelledby="admin-settings-heading">
      <h2 id="admin-settings-heading" className="doc-subheading">
        {t('admin.settings.heading')}
      </h2>
      <LoadState loading={q.fetching && !q.data} error={q.error} onRetry={q.refetch} />
      <ActionFeedback error={error} notice={notice} />
      {settings ? (
        <>
          <div className="card doc-section">
            <form
              className="doc-form"
              onSubmit={(e) => {
                e.preventDefault();
                void run(async () => {
                  await updateNumbering({ numbering: current });
                  return t('admin.settings.numberingSaved');
                });
              }}
            >
              <fieldset className="doc-fieldset">
                <legend>{t('admin.settings.numbering')}</legend>
                {NUMBERING.map((n) => (
                  <label key={n} className="doc-check">
                    <input type="radio" name="numbering" value={n} checked={current === n} onChange={() => setNumbering(n)} /> {t(`admin.settings.numberingMode.${n}`)}
                  </label>
                ))}
                <p className="doc-field__hint">{t('admin.settings.numberingHint')}</p>
              </fieldset>
              <div className="doc-form__actions">
                <button type="submit" className="btn btn--primary" disabled={savingNumbering}>
                  {t('admin.settings.saveNumbering')}
                </button>
              </div>
            </form>
          </div>

          <div className="card doc-section">
            <h3 className="doc-subheading">{t('admin.settings.holidays')}</h3>
            <p className="doc-field__hint">{t('admin.settings.holidaysHint')}</p>
            <label>
              {t('admin.settings.year')}{' '}
              <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
                {[thisYear() - 1, thisYear(), thisYear() + 1, thisYear() + 2].map((y) => (
                  <option key={y} value={y}>
                    {y}
                  </option>
                ))}
              </select>
            </label>
            <div className="doc-table-wrap">
              <table className="doc-table">
                <caption className="visually-hidden">{t('admin.settings.holidaysOf', { year })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.settings.holidayDate')}</th>
                    <th scope="col">{t('admin.settings.holidayName')}</th>
                    <th scope="col">{t('admin.settings.source')}</th>
                    <th scope="col">{t('admin.common.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(rows ?? []).map((h) => (
                    <tr key={h.date}>
                      <td>{formatVnDate(h.date)}</td>
                      <td>{h.name}</td>
                      <td>{h.public ? t('admin.settings.sourcePublic') : t('admin.settings.sourceAgency')}</td>
                      <td className="doc-table__actions">
                        <button
                          type="button"
                          className="btn btn--secondary doc-btn--small"
                          aria-label={`${t('admin.settings.removeHoliday')}: ${formatVnDate(h.date)}`}
                          onClick={() => setRows((r) => (r ?? []).filter((x) => x.date !== h.date))}
                        >
                          {t('admin.settings.removeHoliday')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <AddHolidayForm
              year={year}
              onAdd={(h) => {
                if ((rows ?? []).some((x) => x.date === h.date)) return t('admin.settings.holidayExists');
                setRows((r) => [...(r ?? []), { date: h.date, name: h.name, public: false }].sort((a, b) => a.date.localeCompare(b.date)));
                return null;
              }}
            />
            <div className="doc-form__actions">
              <button
                type="button"
                className="btn btn--primary"
                disabled={savingHolidays || !rows}
                onClick={() =>
                  void run(async () => {
                    const saved = await setHolidays({ year, holidays: (rows ?? []).map((h) => ({ date: h.date, name: h.name })) });
                    setRows(saved.setHolidaysOfYear.map((h) => ({ date: h.date, name: h.name, public: h.public })));
                    return t('admin.settings.holidaysSaved', { year });
                  })
                }
              >
                {t('admin.settings.saveHolidays', { year })}
              </button>
              <button type="button" className="btn btn--secondary" onClick={() => settings && setRows(settings.holidaysOfYear.map((h) => ({ ...h })))}>
                {t('admin.settings.undoHolidays')}
              </button>
            </div>
          </div>

          <IncomingRegistersSection key={`registers-${q.data?.documentSettings.agency.id}`} registers={settings.incomingRegisters} />
          <ApprovalChainSection key={`chain-${q.data?.documentSettings.agency.id}`} chain={settings.approvalChain} />
          <DocumentTypesSection key={`types-${q.data?.documentSettings.agency.id}`} types={settings.documentTypeSettings} />
        </>
      ) : null}
    </section>
  );
}
