import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../../../components/Icon';
import { LOW_CONFIDENCE } from '../../../../components/documents/ocr';
import type { AutoFilled, AutoKey } from '../usePrefill';

export type AutoProps = (k: AutoKey, hint?: ReactNode) => { className?: string; hint?: ReactNode };

/** Props of a field that may have been prefilled: its class (highlight) and hint ("Tự động điền — kiểm tra lại"). */
export function useAutoProps(autoFilled: AutoFilled): AutoProps {
  const { t } = useTranslation();
  return (k, hint) => {
    const c = autoFilled[k];
    if (c === undefined) return { hint };
    const low = c < LOW_CONFIDENCE;
    return {
      className: low ? 'doc-field--auto doc-field--auto-low' : 'doc-field--auto',
      hint: (
        <>
          <span className="doc-autofill">
            <Icon name={low ? 'alert' : 'info'} /> {low ? t('doc.ocr.autoFilledLow') : t('doc.ocr.autoFilled')}
          </span>
          {hint ? <> {hint}</> : null}
        </>
      ),
    };
  };
}

/** The same, spanning both columns of the grid. */
export const span2 = (a: { className?: string; hint?: ReactNode }) => ({ ...a, className: a.className ? `${a.className} doc-span-2` : 'doc-span-2' });
