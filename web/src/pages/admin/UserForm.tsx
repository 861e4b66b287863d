import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import {
  ROLES,
  createUserSchema,
  updateUserSchema,
  type CreateUserForm,
  type RoleName,
} from '../../../../schema/validation/admin-user';
import { Field, FormError, errorField } from '../../components/documents/fields';

export interface UnitOption {
  id: string;
  name: string;
}

/** What the form gives back (trimmed, validated); `username`/`password` only when creating. */
export interface UserFormValues {
  username: string;
  password: string;
  fullName: string;
  title: string;
  unitId: string;
  roles: RoleName[];
}

const FIELDS = ['username', 'password', 'fullName', 'title', 'unitId', 'roles'] as const;
type FieldName = (typeof FIELDS)[number];

/**
 * Tạo / sửa người dùng: login name and first password (creation only), full name, title (chức vụ), unit and
 * roles. Rules from schema/validation/admin-user.ts (the server's, with the same Vietnamese messages); an API
 * error naming a field is shown at that field.
 */
export function UserForm({
  mode,
  units,
  initial,
  onSubmit,
  onCancel,
}: {
  mode: 'create' | 'edit';
  units: readonly UnitOption[];
  initial?: Partial<UserFormValues>;
  onSubmit: (values: UserFormValues) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const [apiError, setApiError] = useState<unknown>(null);
  const resolver = useMemo(
    () => (mode === 'create' ? zodResolver(createUserSchema) : zodResolver(updateUserSchema.extend({ username: z.string(), password: z.string() }))),
    [mode],
  );
  const { register, control, handleSubmit, setError, formState } = useForm<CreateUserForm>({
    // The two schemas give the same shape; the edit one ignores username/password.
    resolver: resolver as never,
    defaultValues: { username: '', password: '', fullName: '', title: '', unitId: '', roles: [], ...initial },
  });
  const errors = formState.errors;
  const shownAtField = FIELDS.includes(errorField(apiError) as FieldName);

  const submit = handleSubmit(async (v) => {
    setApiError(null);
    try {
      await onSubmit({
        username: v.username,
        password: v.password,
        fullName: v.fullName,
        title: v.title,
        unitId: v.unitId,
        roles: v.roles,
      });
    } catch (e) {
      const f = errorField(e);
      if (f && FIELDS.includes(f as FieldName)) setError(f as FieldName, { message: (e as Error).message });
      setApiError(e);
    }
  });

  return (
    <form className="doc-form" noValidate onSubmit={(e) => void submit(e)} aria-label={mode === 'create' ? t('admin.users.create') : t('admin.users.edit')}>
      <div className="doc-form__grid">
        {mode === 'create' ? (
          <>
            <Field label={t('admin.users.username')} required hint={t('admin.users.usernameHint')} error={errors.username?.message}>
              {(p) => <input {...p} autoComplete="off" {...register('username')} />}
            </Field>
            <Field label={t('admin.users.initialPassword')} required hint={t('admin.users.initialPasswordHint')} error={errors.password?.message}>
              {(p) => <input {...p} type="password" autoComplete="new-password" {...register('password')} />}
            </Field>
          </>
        ) : null}
        <Field label={t('admin.users.fullName')} required error={errors.fullName?.message}>
          {(p) => <input {...p} autoComplete="off" {...register('fullName')} />}
        </Field>
        <Field label={t('admin.users.title')} error={errors.title?.message}>
          {(p) => <input {...p} autoComplete="off" {...register('title')} />}
        </Field>
        <Field label={t('admin.users.unit')} error={errors.unitId?.message}>
          {(p) => (
            <select {...p} {...register('unitId')}>
              <option value="">{t('admin.users.noUnit')}</option>
              {units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Controller
        control={control}
        name="roles"
        render={({ field }) => (
          <fieldset className="doc-fieldset" aria-invalid={errors.roles ? true : undefined}>
            <legend>
              {t('admin.users.roles')} <span className="doc-field__required">*</span>
            </legend>
            <div className="doc-checklist">
              {ROLES.map((r) => (
                <label key={r} className="doc-check">
                  <input
                    type="checkbox"
                    checked={field.value.includes(r)}
                    onChange={(e) => field.onChange(e.target.checked ? [...field.value, r] : field.value.filter((x) => x !== r))}
                  />{' '}
                  {t(`roles.${r}`)}
                </label>
              ))}
            </div>
            {errors.roles ? (
              <p className="doc-field__error" role="alert">
                {errors.roles.message}
              </p>
            ) : null}
          </fieldset>
        )}
      />
      <FormError error={apiError} shownAtField={shownAtField} />
      <div className="doc-form__actions">
        <button type="submit" className="btn btn--primary" disabled={formState.isSubmitting}>
          {mode === 'create' ? t('admin.users.createSubmit') : t('admin.common.save')}
        </button>
        {onCancel ? (
          <button type="button" className="btn btn--secondary" onClick={onCancel}>
            {t('admin.common.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
