import type { TFunction } from 'i18next';
import { ApiError } from '../graphql/client';
import { currentLanguage } from './index';

/**
 * The text to show for a failed request.
 * In Vietnamese the API's own message is the most precise (it names the field, the document…), so it is
 * shown as is for the API's domain codes. In English, and for NETWORK/INTERNAL (whose server text may be a
 * masked technical message), the translation of the code is shown.
 */
export function errorMessage(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiError)) return t('errors.INTERNAL');
  if (error.code === 'NETWORK' || error.code === 'INTERNAL') return t(`errors.${error.code}`);
  if (currentLanguage() === 'vi' && error.message) return error.message;
  return t(`errors.${error.code}`);
}
