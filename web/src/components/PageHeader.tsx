import type { ReactNode } from 'react';
import { useDocumentTitle } from './useDocumentTitle';

/**
 * The heading block every page starts with: the page's single <h1> (focused after navigation, hence
 * tabIndex -1), an optional lead paragraph and optional actions (buttons) on the right.
 */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  useDocumentTitle(title);
  return (
    <div className="page-header">
      <div className="page-header__text">
        <h1 className="page-title" tabIndex={-1}>
          {title}
        </h1>
        {description ? <p className="page-lead">{description}</p> : null}
      </div>
      {actions ? <div className="page-header__actions">{actions}</div> : null}
    </div>
  );
}
