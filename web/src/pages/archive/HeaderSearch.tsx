/**
 * The one search box at the top of the shell (issue 10): submitting goes to Lưu trữ & tra cứu (/archive?q=…),
 * where the filters, facets and results are.
 */
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { MAX_SEARCH_QUERY_CHARS } from '../../../../schema/validation/search';
import './archive.css';

export function HeaderSearch() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <form
      role="search"
      className="header-search"
      aria-label={t('archive.search.box')}
      onSubmit={(e) => {
        e.preventDefault();
        // the box's value as submitted (uncontrolled: never a render behind the keyboard)
        const q = String(new FormData(e.currentTarget).get('q') ?? '').trim();
        if (!q) return;
        void navigate(`/archive?${new URLSearchParams({ q }).toString()}`);
      }}
    >
      <input
        type="search"
        name="q"
        aria-label={t('archive.search.box')}
        placeholder={t('archive.search.boxPlaceholder')}
        maxLength={MAX_SEARCH_QUERY_CHARS}
        autoComplete="off"
      />
      <button type="submit" className="btn btn--on-dark">
        <span className="btn__label">{t('archive.search.submit')}</span>
      </button>
    </form>
  );
}
