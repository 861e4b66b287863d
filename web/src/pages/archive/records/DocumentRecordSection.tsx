/**
 * "Hồ sơ" on the document page (issue 10): where the document is filed (hồ sơ and số thứ tự), and — driven by
 * the server's Document.recordActions — "Đưa vào hồ sơ" (an OPEN hồ sơ of the agency the caller may file into),
 * "Lập hồ sơ mới" (create a hồ sơ and file the document into it) and "Đưa ra khỏi hồ sơ".
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Field, FormError } from '../../../components/documents/fields';
import { useApiMutation, useApiQuery } from '../../../graphql/hooks';
import { DocumentRecordDocument, FileDocumentDocument, OpenRecordsDocument, UnfileDocumentDocument } from '../../../graphql/generated';
import { CreateRecordSection } from './RecordsListPage';
import './records.css';

type Mode = 'idle' | 'pick' | 'create';

export function DocumentRecordSection({ documentId, onChanged }: { documentId: string; onChanged: (notice: string) => void }) {
  const { t } = useTranslation();
  const doc = useApiQuery(DocumentRecordDocument, { id: documentId }, { requestPolicy: 'cache-and-network' });
  const d = doc.data?.document;
  const actions = d?.recordActions ?? [];
  const [mode, setMode] = useState<Mode>('idle');
  const open = useApiQuery(OpenRecordsDocument, {}, { pause: mode !== 'pick', requestPolicy: 'network-only' });
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [file, filing] = useApiMutation(FileDocumentDocument);
  const [unfile, unfiling] = useApiMutation(UnfileDocumentDocument);
  if (!d || (!d.record && actions.length === 0)) return null;

  const after = (notice: string) => {
    setMode('idle');
    setChosen('');
    setError(null);
    doc.refetch();
    onChanged(notice);
  };
  const fileInto = async (recordId: string, notation: string) => {
    await file({ recordId, documentId });
    after(t('records.doc.filed', { notation }));
  };
  const records = open.data?.openRecords ?? [];

  return (
    <section className="card doc-section" aria-labelledby="doc-record">
      <h2 id="doc-record">{t('records.doc.title')}</h2>
      {d.record ? (
        <p>
          {t('records.doc.inRecord')}{' '}
          <Link to={`/archive/records/${d.record.id}`}>
            {d.record.fileNotation} — {d.record.title}
          </Link>
          {d.recordOrder != null ? <span className="doc-muted"> · {t('records.doc.order', { order: d.recordOrder })}</span> : null}
        </p>
      ) : (
        <p className="doc-muted">{t('records.doc.notFiled')}</p>
      )}
      <FormError error={error} />
      {mode === 'idle' ? (
        <div className="doc-form__actions">
          {actions.includes('FILE_INTO_RECORD') ? (
            <button type="button" className="btn btn--primary" onClick={() => setMode('pick')}>
              {t('records.doc.file')}
            </button>
          ) : null}
          {actions.includes('CREATE_RECORD') ? (
            <button type="button" className="btn btn--secondary" onClick={() => setMode('create')}>
              {t('records.doc.create')}
            </button>
          ) : null}
          {actions.includes('UNFILE_FROM_RECORD') && d.record ? (
            <button
              type="button"
              className="btn btn--secondary"
              disabled={unfiling.fetching}
              onClick={() => {
                const r = d.record!;
                setError(null);
                unfile({ recordId: r.id, documentId }).then(
                  () => after(t('records.doc.unfiled', { notation: r.fileNotation })),
                  (e: unknown) => setError(e),
                );
              }}
            >
              {t('records.doc.unfile')}
            </button>
          ) : null}
        </div>
      ) : null}
      {mode === 'pick' ? (
        <form
          className="doc-form-plain"
          aria-label={t('records.doc.file')}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const r = records.find((x) => x.id === chosen);
            if (!r) {
              setError(new Error(t('records.doc.choose')));
              return;
            }
            setError(null);
            fileInto(r.id, r.fileNotation).catch((err: unknown) => setError(err));
          }}
        >
          {open.fetching && !open.data ? <p className="doc-muted">{t('records.doc.loading')}</p> : null}
          {open.data && records.length === 0 ? <p className="doc-muted">{t('records.doc.noOpen')}</p> : null}
          {records.length ? (
            <Field label={t('records.doc.record')} required>
              {(c) => (
                <select {...c} value={chosen} onChange={(e) => setChosen(e.target.value)}>
                  <option value="">{t('records.doc.choose')}</option>
                  {records.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.fileNotation} — {r.title} ({r.year})
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          <div className="doc-form__actions">
            <button type="submit" className="btn btn--primary" disabled={filing.fetching || !records.length}>
              {t('records.doc.fileSubmit')}
            </button>
            <button type="button" className="btn btn--secondary" onClick={() => setMode('idle')}>
              {t('records.create.cancel')}
            </button>
          </div>
        </form>
      ) : null}
      {mode === 'create' ? (
        <CreateRecordSection
          year={new Date().getFullYear()}
          title={t('records.doc.createTitle')}
          submitLabel={t('records.doc.createSubmit')}
          onClose={() => setMode('idle')}
          onCreated={(r) => fileInto(r.id, r.fileNotation)}
        />
      ) : null}
    </section>
  );
}
