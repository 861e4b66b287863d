import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../Icon';

/**
 * A modal dialog on the native <dialog> element: showModal() makes the page behind it inert (focus stays
 * inside), Esc closes it, and focus returns to the element that opened it. Labelled by its heading.
 */
export function Dialog({
  title,
  onClose,
  children,
  wide,
  describedBy,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  describedBy?: string;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // Focus the first field (or the first button) rather than the close button.
    const first = dialog.querySelector<HTMLElement>('[data-autofocus], input:not([type=hidden]), select, textarea');
    first?.focus();
    const onCancel = (e: Event) => {
      e.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      if (opener && opener.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog ref={ref} className={wide ? 'doc-dialog doc-dialog--wide' : 'doc-dialog'} aria-labelledby={titleId} aria-describedby={describedBy}>
      <div className="doc-dialog__header">
        <h2 id={titleId} className="doc-dialog__title">
          {title}
        </h2>
        <button type="button" className="doc-icon-btn" onClick={onClose} aria-label={t('doc.action.close')}>
          <Icon name="close" />
        </button>
      </div>
      <div className="doc-dialog__body">{children}</div>
    </dialog>
  );
}
