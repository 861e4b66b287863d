import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { changePasswordSchema, type ChangePasswordForm } from '../../../../schema/validation/admin-user';
import { useCurrentUser, useSession } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { Field, FormError, errorField } from '../../components/documents/fields';
import { ChangePasswordDocument } from '../../graphql/generated';
import { useApiMutation } from '../../graphql/hooks';

const FIELDS = ['currentPassword', 'newPassword', 'confirm'] as const;

/**
 * Đổi mật khẩu: for every user, and the only page a user whose password was reset (mustChangePassword) may
 * open until they chose a new one (RequireAuth keeps them here). Ends the user's other sessions.
 */
export default function ChangePasswordPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [change, { fetching }] = useApiMutation(ChangePasswordDocument);
  const [done, setDone] = useState(false);
  const [apiError, setApiError] = useState<unknown>(null);
  const resolver = useMemo(() => zodResolver(changePasswordSchema({ username: user.username, fullName: user.fullName })), [user.username, user.fullName]);
  const { register, handleSubmit, setError, reset, formState } = useForm<ChangePasswordForm>({
    resolver,
    defaultValues: { currentPassword: '', newPassword: '', confirm: '' },
  });
  const errors = formState.errors;
  const forced = user.mustChangePassword;

  const onSubmit = handleSubmit(async (v) => {
    setApiError(null);
    setDone(false);
    try {
      await change({ input: { currentPassword: v.currentPassword, newPassword: v.newPassword } });
      reset();
      setDone(true);
      if (forced) {
        await refresh();
        navigate('/', { replace: true });
      }
    } catch (e) {
      const f = errorField(e);
      if (f && (FIELDS as readonly string[]).includes(f)) setError(f as (typeof FIELDS)[number], { message: (e as Error).message });
      setApiError(e);
    }
  });

  return (
    <>
      <PageHeader
        title={t('account.password.title')}
        description={forced ? t('account.password.forced') : t('account.password.description')}
        actions={
          forced ? undefined : (
            <>
              <Link to="/account/sessions">{t('account.sessions.title')}</Link> <Link to="/account/certificates">{t('issuing.certs.title')}</Link>
            </>
          )
        }
      />
      <section className="card">
        <form className="doc-form" noValidate onSubmit={(e) => void onSubmit(e)}>
          <Field label={t('account.password.current')} required error={errors.currentPassword?.message}>
            {(p) => <input {...p} type="password" autoComplete="current-password" {...register('currentPassword')} />}
          </Field>
          <Field label={t('account.password.new')} required hint={t('account.password.hint')} error={errors.newPassword?.message}>
            {(p) => <input {...p} type="password" autoComplete="new-password" {...register('newPassword')} />}
          </Field>
          <Field label={t('account.password.confirm')} required error={errors.confirm?.message}>
            {(p) => <input {...p} type="password" autoComplete="new-password" {...register('confirm')} />}
          </Field>
          <FormError error={apiError} shownAtField={!!errorField(apiError) && (FIELDS as readonly string[]).includes(errorField(apiError)!)} />
          {done ? (
            <div className="alert alert--success" role="status">
              {t('account.password.done')}
            </div>
          ) : null}
          <div className="doc-form__actions">
            <button type="submit" className="btn btn--primary" disabled={fetching}>
              {t('account.password.submit')}
            </button>
          </div>
        </form>
      </section>
    </>
  );
}
