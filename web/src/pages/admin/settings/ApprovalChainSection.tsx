import { useState } from 'react';
import { useFieldArray, useForm, useWatch, type Path } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import { APPROVAL_ROLES, approvalChainSchema, type ApprovalChainFormInput, type ApprovalChainFormOutput } from '../../../../../schema/validation/document-settings';
import { FormError } from '../../../components/documents/fields';
import { ApiError } from '../../../graphql/client';
import { AdminApproversDocument, AdminResetApprovalChainDocument, AdminUpdateApprovalChainDocument, type Role } from '../../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../../graphql/hooks';
import { CellError, serverFieldPath } from './cells';

export interface ApprovalStepView {
  kind: string;
  role?: Role | null;
  scope?: string | null;
  label?: string | null;
  user?: { id: string; fullName: string } | null;
}

type StepRow = ApprovalChainFormInput['steps'][number];

export const stepRows = (chain: readonly ApprovalStepView[]): StepRow[] =>
  chain.map((s) => ({
    kind: s.kind === 'USER' ? 'USER' : 'ROLE',
    role: s.role ?? 'TRUONG_PHONG',
    scope: s.scope === 'DRAFTING_UNIT' ? 'DRAFTING_UNIT' : 'AGENCY',
    userId: s.user?.id ?? '',
    label: s.label ?? '',
  }));

/**
 * Quy trình duyệt mặc định (copied onto new drafts): ordered steps, each a role (of the agency or of the
 * drafting unit) or a named person. No step = straight to signing.
 */
export function ApprovalChainSection({ chain }: { chain: readonly ApprovalStepView[] }) {
  const approvers = useApiQuery(AdminApproversDocument, {});
  const [save] = useApiMutation(AdminUpdateApprovalChainDocument);
  const [resetChain] = useApiMutation(AdminResetApprovalChainDocument);
  return (
    <ApprovalChainForm
      chain={chain}
      approvers={approvers.data?.colleagues ?? []}
      onSave={async (steps) => (await save({ steps })).updateDocumentSettings.approvalChain}
      onReset={async () => (await resetChain({})).updateDocumentSettings.approvalChain}
    />
  );
}

export type ApprovalStepInputValue = { kind: string; userId?: string | null; role?: Role | null; scope?: string | null; label?: string | null };

/** The form (presentational): `onSave` / `onReset` store the chain and give back what was stored, or throw the ApiError. */
export function ApprovalChainForm({
  chain,
  approvers,
  onSave,
  onReset,
}: {
  chain: readonly ApprovalStepView[];
  approvers: readonly { id: string; fullName: string; title?: string | null }[];
  onSave: (steps: ApprovalStepInputValue[]) => Promise<readonly ApprovalStepView[]>;
  onReset: () => Promise<readonly ApprovalStepView[]>;
}) {
  const { t } = useTranslation();
  const [resetting, setResetting] = useState(false);
  const [error, setFormError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { control, register, handleSubmit, reset, setError, formState } = useForm<ApprovalChainFormInput, unknown, ApprovalChainFormOutput>({
    resolver: zodResolver(approvalChainSchema),
    defaultValues: { steps: stepRows(chain) },
  });
  const steps = useFieldArray({ control, name: 'steps' });
  const kinds = useWatch({ control, name: 'steps' });
  const errors = formState.errors.steps;

  const done = (saved: readonly ApprovalStepView[], message: string) => {
    reset({ steps: stepRows(saved) });
    setNotice(message);
  };
  const submit = handleSubmit(async (v) => {
    setFormError(null);
    setNotice(null);
    try {
      const saved = await onSave(v.steps.map((s) => (s.kind === 'USER' ? { kind: 'USER', userId: s.userId, label: s.label } : { kind: 'ROLE', role: s.role as Role, scope: s.scope, label: s.label })));
      done(saved, t('admin.settings.chain.saved'));
    } catch (e) {
      const path = e instanceof ApiError ? serverFieldPath(e.field, 'approvalChain', 'steps') : null;
      if (path && path !== 'steps') setError(path as Path<ApprovalChainFormInput>, { message: (e as ApiError).message });
      else setFormError(e);
    }
  });

  return (
    <form className="card doc-section" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="admin-chain-heading">
      <h3 id="admin-chain-heading" className="doc-subheading">
        {t('admin.settings.approvalChain')}
      </h3>
      <p className="doc-field__hint">{t('admin.settings.chain.hint')}</p>
      <FormError error={error ?? (errors?.root?.message || errors?.message ? new Error(errors?.root?.message ?? errors?.message) : null)} />
      {notice ? (
        <div className="alert alert--success" role="status">
          {notice}
        </div>
      ) : null}
      {steps.fields.length === 0 ? <p>{t('admin.settings.noApproval')}</p> : null}
      <ol className="admin-chain">
        {steps.fields.map((row, i) => {
          const e = errors?.[i];
          const kind = kinds?.[i]?.kind ?? row.kind;
          const n = i + 1;
          return (
            <li key={row.id} className="admin-chain__step">
              <select aria-label={t('admin.settings.chain.kind', { n })} {...register(`steps.${i}.kind`)}>
                <option value="ROLE">{t('admin.settings.chain.byRole')}</option>
                <option value="USER">{t('admin.settings.chain.byUser')}</option>
              </select>{' '}
              {kind === 'ROLE' ? (
                <>
                  <select aria-label={t('admin.settings.chain.role', { n })} {...register(`steps.${i}.role`)}>
                    {APPROVAL_ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(`roles.${r}`)}
                      </option>
                    ))}
                  </select>{' '}
                  <select aria-label={t('admin.settings.chain.scope', { n })} {...register(`steps.${i}.scope`)}>
                    <option value="DRAFTING_UNIT">{t('admin.settings.chain.scopeUnit')}</option>
                    <option value="AGENCY">{t('admin.settings.chain.scopeAgency')}</option>
                  </select>
                  <CellError message={e?.role?.message} />
                </>
              ) : (
                <>
                  <select aria-label={t('admin.settings.chain.user', { n })} aria-invalid={e?.userId ? true : undefined} {...register(`steps.${i}.userId`)}>
                    <option value="">{t('admin.settings.chain.pickUser')}</option>
                    {approvers.map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.title ? `${u.fullName} — ${u.title}` : u.fullName}
                      </option>
                    ))}
                  </select>
                  <CellError message={e?.userId?.message} />
                </>
              )}{' '}
              <input aria-label={t('admin.settings.chain.label', { n })} placeholder={t('admin.settings.chain.labelPlaceholder')} autoComplete="off" {...register(`steps.${i}.label`)} />
              <CellError message={e?.label?.message} />{' '}
              <button type="button" className="btn btn--secondary doc-btn--small" disabled={i === 0} onClick={() => steps.move(i, i - 1)} aria-label={t('admin.settings.chain.up', { n })}>
                ↑
              </button>{' '}
              <button type="button" className="btn btn--secondary doc-btn--small" disabled={i === steps.fields.length - 1} onClick={() => steps.move(i, i + 1)} aria-label={t('admin.settings.chain.down', { n })}>
                ↓
              </button>{' '}
              <button type="button" className="btn btn--secondary doc-btn--small" onClick={() => steps.remove(i)} aria-label={t('admin.settings.chain.remove', { n })}>
                {t('admin.settings.remove')}
              </button>
            </li>
          );
        })}
      </ol>
      <div className="doc-form__actions">
        <button type="button" className="btn btn--secondary" onClick={() => steps.append({ kind: 'ROLE', role: 'LANH_DAO', scope: 'AGENCY', userId: '', label: '' }, { shouldFocus: false })}>
          {t('admin.settings.chain.add')}
        </button>
        <button type="submit" className="btn btn--primary" disabled={formState.isSubmitting}>
          {t('admin.settings.chain.save')}
        </button>
        <button
          type="button"
          className="btn btn--secondary"
          disabled={resetting}
          onClick={() =>
            void (async () => {
              setFormError(null);
              setResetting(true);
              try {
                done(await onReset(), t('admin.settings.chain.resetDone'));
              } catch (e) {
                setFormError(e);
              } finally {
                setResetting(false);
              }
            })()
          }
        >
          {t('admin.settings.chain.reset')}
        </button>
      </div>
    </form>
  );
}
