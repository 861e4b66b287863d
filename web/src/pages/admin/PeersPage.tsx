/**
 * Liên thông (issue 13): the peer deployments this one exchanges documents with — state, directory size, last
 * directory sync and its error — with add / update (a new key id rotates the shared secret), enable / disable
 * and "sync now". QUAN_TRI of the operator agency (the server refuses anyone else).
 */
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { Field, FormError, LoadState } from '../../components/documents/fields';
import { DataTable } from '../../components/DataTable';
import { ActionFeedback, FormActions, useNoticedAction, useServerFieldErrors } from '../../components/formParts';
import { ExchangePeersDocument, SaveExchangePeerDocument, SetExchangePeerActiveDocument, SyncExchangeDirectoryDocument } from '../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../graphql/hooks';
import { formatDateTime } from './format';

const FIELDS = ['code', 'name', 'url', 'secret', 'keyId'] as const;

function PeerForm({ onDone }: { onDone: (code: string) => void }) {
  const { t } = useTranslation();
  const required = (field: string) => z.string().trim().min(1, { message: t('peers.admin.required', { field }) });
  const schema = z.object({
    code: required(t('peers.admin.code')),
    name: z.string().trim(),
    url: required(t('peers.admin.url')),
    secret: required(t('peers.admin.secret')),
    keyId: z.string().trim(),
  });
  type In = z.input<typeof schema>;
  const [save] = useApiMutation(SaveExchangePeerDocument);
  const form = useForm<In, unknown, z.output<typeof schema>>({ resolver: zodResolver(schema), defaultValues: { code: '', name: '', url: '', secret: '', keyId: '' } });
  const { register, handleSubmit, setError, reset, formState } = form;
  const errors = formState.errors;
  const { apiError, guard } = useServerFieldErrors(setError, FIELDS);
  const submit = handleSubmit((v) =>
    guard(async () => {
      const r = await save({ input: { code: v.code, name: v.name || null, url: v.url, secret: v.secret, keyId: v.keyId || null } });
      reset();
      onDone(r.saveExchangePeer.code);
    }),
  );
  return (
    <form className="doc-form" noValidate onSubmit={(e) => void submit(e)} aria-label={t('peers.admin.add')}>
      <FormError error={apiError} />
      <div className="doc-form__grid">
        <Field label={t('peers.admin.code')} required error={errors.code?.message}>
          {(c) => <input {...c} type="text" autoComplete="off" placeholder="000.00.00.H41" {...register('code')} />}
        </Field>
        <Field label={t('peers.admin.name')} error={errors.name?.message}>
          {(c) => <input {...c} type="text" autoComplete="off" {...register('name')} />}
        </Field>
        <Field label={t('peers.admin.url')} required error={errors.url?.message}>
          {(c) => <input {...c} type="url" autoComplete="off" placeholder="https://" {...register('url')} />}
        </Field>
        <Field label={t('peers.admin.secret')} required error={errors.secret?.message}>
          {(c) => <input {...c} type="password" autoComplete="off" {...register('secret')} />}
        </Field>
        <Field label={t('peers.admin.keyId')} error={errors.keyId?.message}>
          {(c) => <input {...c} type="text" autoComplete="off" placeholder="k1" {...register('keyId')} />}
        </Field>
      </div>
      <FormActions submitLabel={t('peers.admin.save')} disabled={formState.isSubmitting} />
    </form>
  );
}

export default function PeersPage() {
  const { t } = useTranslation();
  const q = useApiQuery(ExchangePeersDocument, {}, { requestPolicy: 'cache-and-network' });
  const [setActive] = useApiMutation(SetExchangePeerActiveDocument);
  const [sync, syncState] = useApiMutation(SyncExchangeDirectoryDocument);
  const { notice, error, act } = useNoticedAction(q.refetch);
  const peers = q.data?.exchangePeers ?? [];
  return (
    <section aria-labelledby="admin-peers-heading">
      <h2 id="admin-peers-heading" className="doc-subheading">
        {t('peers.admin.title')}
      </h2>
      <p className="doc-muted">{t('peers.admin.intro')}</p>
      {q.data ? <p>{t('peers.admin.ownCode', { code: q.data.exchangeOwnCode })}</p> : null}
      <div className="card">
        <h3 className="doc-subheading">{t('peers.admin.add')}</h3>
        <PeerForm onDone={(code) => void act(async () => undefined, t('peers.admin.saved', { code }))} />
      </div>
      <ActionFeedback error={error} notice={notice} />
      <p>
        <button type="button" className="btn btn--secondary" disabled={syncState.fetching} onClick={() => void act(() => sync({}), t('peers.admin.synced'))}>
          {t('peers.admin.sync')}
        </button>
      </p>
      <LoadState loading={q.fetching && !q.data} error={q.error} onRetry={q.refetch} />
      <DataTable
        caption={t('peers.admin.title')}
        testId="exchange-peers"
        columns={[t('peers.admin.code'), t('peers.admin.url'), t('peers.admin.state'), t('peers.admin.agencies'), t('peers.admin.lastSync'), t('admin.common.actions')]}
        empty={q.data && peers.length === 0 ? t('peers.admin.none') : null}
      >
        {peers.map((p) => (
          <tr key={p.id}>
            <td className="doc-table__name">
              {p.name} <span className="doc-muted doc-small">({p.code})</span>
            </td>
            <td>{p.baseUrl}</td>
            <td>{p.active ? t('peers.admin.active') : t('peers.admin.inactive')}</td>
            <td>{p.agencies}</td>
            <td>
              {p.lastSyncAt ? formatDateTime(p.lastSyncAt) : t('peers.admin.never')}
              {p.lastSyncError ? <div className="doc-field__error">{t('peers.admin.syncError', { error: p.lastSyncError })}</div> : null}
            </td>
            <td className="doc-table__actions">
              <button
                type="button"
                className="btn btn--secondary doc-btn--small"
                aria-label={`${p.active ? t('peers.admin.disable') : t('peers.admin.enable')}: ${p.name}`}
                onClick={() => void act(() => setActive({ code: p.code, active: !p.active }), p.active ? t('peers.admin.inactive') : t('peers.admin.active'))}
              >
                {p.active ? t('peers.admin.disable') : t('peers.admin.enable')}
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
