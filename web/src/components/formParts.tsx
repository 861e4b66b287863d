/**
 * Small shared pieces of forms and admin pages, so each pattern is written once:
 * - `useServerFieldErrors`: run a submit, put a server error that names one of the form's fields
 *   (`extensions.field`) at that field, anything else in a form-level error;
 * - `FormActions`: the row of a form's buttons (optional cancel, then submit);
 * - `ActionFeedback`: the form-level error (role=alert) and the success notice (role=status) of a page;
 * - `useNoticedAction`: run one action of a page (revoke, enable…), then show its notice or its error.
 */
import { useState, type ReactNode } from 'react';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { FormError, errorField } from './documents/fields';

export function useServerFieldErrors<F extends FieldValues>(setError: UseFormSetError<F>, fields: readonly Path<F>[]) {
  const [apiError, setApiError] = useState<unknown>(null);
  /** Runs `fn`; its error goes to the field it names (if that is one of `fields`), else to `apiError`. */
  const guard = async (fn: () => Promise<unknown>): Promise<void> => {
    setApiError(null);
    try {
      await fn();
    } catch (e) {
      const name = errorField(e);
      const field = fields.find((f) => f === name);
      if (field) setError(field, { type: 'server', message: (e as Error).message });
      else setApiError(e);
    }
  };
  return { apiError, setApiError, guard };
}

export function FormActions({
  submitLabel,
  submitClassName = 'btn btn--primary',
  disabled,
  onCancel,
  cancelLabel,
}: {
  submitLabel: ReactNode;
  submitClassName?: string;
  disabled?: boolean;
  onCancel?: () => void;
  cancelLabel?: ReactNode;
}) {
  return (
    <div className="doc-form__actions">
      {onCancel ? (
        <button type="button" className="btn btn--secondary" onClick={onCancel}>
          {cancelLabel}
        </button>
      ) : null}
      <button type="submit" className={submitClassName} disabled={disabled}>
        {submitLabel}
      </button>
    </div>
  );
}

export function ActionFeedback({ error, notice }: { error: unknown; notice: string | null }) {
  return (
    <>
      <FormError error={error} />
      {notice ? (
        <div className="alert alert--success" role="status">
          {notice}
        </div>
      ) : null}
    </>
  );
}

/** A page's action runner: `act(fn, done)` clears the previous notice and error, runs fn, then shows `done` and calls `after`. */
export function useNoticedAction(after?: () => void) {
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const act = async (fn: () => Promise<unknown>, done: string) => {
    setError(null);
    setNotice(null);
    try {
      await fn();
      setNotice(done);
      after?.();
    } catch (e) {
      setError(e);
    }
  };
  return { notice, setNotice, error, act };
}
