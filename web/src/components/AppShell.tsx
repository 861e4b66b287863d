import { useCallback, useEffect, useRef, useState } from 'react';
import { Outlet, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AppHeader } from './AppHeader';
import { SideNav } from './SideNav';

/**
 * The signed-in layout: skip link, <header> (brand, user, language, logout), <nav> (areas the user may
 * open) and <main> where the current page renders. Below 900px the navigation becomes a drawer.
 */
export function AppShell() {
  const { t } = useTranslation();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const shownPath = useRef(location.pathname);

  const focusMain = useCallback(() => {
    const main = mainRef.current;
    if (!main) return;
    const heading = main.querySelector<HTMLElement>('h1');
    (heading ?? main).focus();
  }, []);

  // After a navigation: close the drawer and move focus to the new page's heading (screen readers
  // announce it; keyboard users continue from the content). Not on the first render.
  useEffect(() => {
    if (shownPath.current === location.pathname) return;
    shownPath.current = location.pathname;
    setMenuOpen(false);
    focusMain();
  }, [location.pathname, focusMain]);

  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setMenuOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  return (
    <div className={menuOpen ? 'app menu-open' : 'app'}>
      <a
        href="#main-content"
        className="skip-link"
        onClick={(e) => {
          e.preventDefault();
          focusMain();
        }}
      >
        {t('app.skipToContent')}
      </a>
      <AppHeader menuOpen={menuOpen} onToggleMenu={() => setMenuOpen((o) => !o)} />
      <div className="app-body">
        <SideNav id="app-drawer" open={menuOpen} />
        {menuOpen ? <div className="nav-backdrop" onClick={() => setMenuOpen(false)} aria-hidden="true" /> : null}
        <main id="main-content" className="app-main" ref={mainRef} tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}
