/**
 * Vào sổ: sends the registration, and "Vẫn vào sổ" (allowDuplicate) after the server found the same document
 * already registered — CONFLICT with extensions.duplicateOf, before any số đến is drawn. A server error that
 * names an input field is shown at that field.
 */
import { useCallback, useRef, type Dispatch } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import { ApiError } from '../../../graphql/client';
import { RegisterIncomingDocument, type DocumentDetailFragment, type ScanInfoFragment } from '../../../graphql/generated';
import { useApiMutation } from '../../../graphql/hooks';
import { newIdempotencyKey } from '../../../components/documents/format';
import { checkRegistration, fieldOfApiError, serverErrorType, toRegisterInput, type RegistrationContext, type RegistrationValues } from './form';
import type { RegistrationEvent } from './machine';

/** The ids of the documents a CONFLICT answer says this one duplicates, or null for another error. */
export function duplicatesOf(e: unknown): string[] | null {
  if (!(e instanceof ApiError) || e.code !== 'CONFLICT' || e.extensions.reason !== 'DUPLICATE') return null;
  const ids = e.extensions.duplicateOf;
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
}

export function useSubmit(opts: {
  form: UseFormReturn<RegistrationValues, RegistrationContext, RegistrationValues>;
  context: RegistrationContext;
  dispatch: Dispatch<RegistrationEvent<ScanInfoFragment, DocumentDetailFragment>>;
  receivedDocumentId: string | null;
  types: readonly { code?: string | null; name: string }[];
  /** The scan to register (waits for an upload in flight). */
  scan: () => Promise<ScanInfoFragment | null>;
}) {
  const { form, context, dispatch, receivedDocumentId, types, scan } = opts;
  const [register] = useApiMutation(RegisterIncomingDocument);
  const idempotencyKey = useRef(newIdempotencyKey());
  const busy = useRef(false);

  const submit = useCallback(
    async (values: RegistrationValues, allowDuplicate: boolean) => {
      if (busy.current) return;
      const checked = checkRegistration(values, context);
      if (!checked.ok) return; // the resolver has shown the errors
      busy.current = true;
      dispatch({ type: 'SUBMITTED' });
      try {
        const uploaded = receivedDocumentId ? null : await scan();
        const input = toRegisterInput(values, checked.fields, {
          today: context.today,
          receivedDocumentId,
          scanId: uploaded?.id ?? null,
          types,
          idempotencyKey: idempotencyKey.current,
          allowDuplicate,
        });
        const r = await register({ input });
        idempotencyKey.current = newIdempotencyKey();
        dispatch({ type: 'REGISTERED', result: r.registerIncoming });
      } catch (e) {
        const error = e instanceof ApiError ? e : new ApiError('INTERNAL', e instanceof Error ? e.message : String(e));
        const duplicateOf = duplicatesOf(error);
        if (duplicateOf) {
          dispatch({ type: 'DUPLICATE_FOUND', duplicateOf, error });
        } else {
          dispatch({ type: 'SUBMIT_FAILED', error });
          const field = fieldOfApiError(error.field);
          if (field) form.setError(field, { type: serverErrorType(error.field), message: error.message }, { shouldFocus: true });
        }
      } finally {
        busy.current = false;
      }
    },
    [context, dispatch, receivedDocumentId, types, scan, register, form],
  );

  return { submit };
}
