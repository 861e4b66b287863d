import type { TFunction } from 'i18next';
import { ApiError } from '../../graphql/client';
import { currentLanguage } from '../../i18n';
import { errorMessage } from '../../i18n/errors';

/**
 * Message for a failed login. The API answers UNAUTHENTICATED with
 *  - extensions.reason 'BAD_CREDENTIALS': wrong username or password;
 *  - extensions.reason 'LOGIN_THROTTLED' + retryAfterSeconds: locked after too many failures.
 * Vietnamese shows the API's own message; English translates from the reason.
 */
export function loginErrorMessage(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiError) || error.code !== 'UNAUTHENTICATED') return errorMessage(error, t);
  if (currentLanguage() === 'vi' && error.message) return error.message;
  if (error.extensions.reason === 'LOGIN_THROTTLED') {
    const seconds = error.extensions.retryAfterSeconds;
    return typeof seconds === 'number' && seconds > 0
      ? t('login.lockedMinutes', { count: Math.ceil(seconds / 60) })
      : t('login.locked');
  }
  return t('login.wrongCredentials');
}
