import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../graphql/client';
import { errorMessage } from '../../i18n/errors';
import { Icon } from '../Icon';

export interface ControlProps {
  id: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
  'aria-required'?: boolean;
}

/**
 * A labelled form control with an optional hint and an error shown under it (and linked with
 * aria-describedby). `children` renders the control with the props it must spread.
 */
export function Field({
  label,
  hint,
  error,
  required,
  className,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  required?: boolean;
  className?: string;
  children: (props: ControlProps) => ReactNode;
}) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className ? `doc-field ${className}` : 'doc-field'}>
      <label htmlFor={id}>
        {label}
        {required ? (
          <span className="doc-field__required" title={t('doc.form.required')}>
            {' '}
            *<span className="visually-hidden">{t('doc.form.required')}</span>
          </span>
        ) : null}
      </label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy, 'aria-required': required || undefined })}
      {hint ? (
        <p id={hintId} className="doc-field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="doc-field__error">
          <Icon name="alert" /> {error}
        </p>
      ) : null}
    </div>
  );
}

/** The input field an API error points at (`extensions.field`, e.g. "input.symbol" → "symbol"), if any. */
export function errorField(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || !error.field) return undefined;
  const parts = error.field.split('.').filter((p) => !/^\d+$/.test(p));
  return parts[parts.length - 1];
}

/** A form-level error (role=alert so it is announced), unless it was shown next to a field. */
export function FormError({ error, shownAtField }: { error: unknown; shownAtField?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="alert-slot" role="alert">
      {error && !shownAtField ? (
        <div className="alert alert--error">
          <Icon name="alert" />
          <span>{errorMessage(error, t)}</span>
        </div>
      ) : null}
    </div>
  );
}

/** Loading / error placeholder for a region. */
export function LoadState({ loading, error, onRetry }: { loading: boolean; error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (error) {
    return (
      <div className="alert alert--error" role="alert">
        <Icon name="alert" />
        <span>{errorMessage(error, t)}</span>
        {onRetry ? (
          <button type="button" className="btn btn--secondary doc-btn--small" onClick={onRetry}>
            {t('errors.retry')}
          </button>
        ) : null}
      </div>
    );
  }
  if (loading) {
    return (
      <p className="doc-loading" role="status">
        {t('app.loading')}
      </p>
    );
  }
  return null;
}
