import { NavLink, Outlet } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import './admin.css';

export const ADMIN_SECTIONS = ['users', 'units', 'agencies', 'settings', 'delegations', 'certificates', 'audit', 'peers'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

/** Quản trị: one tab per section (người dùng, đơn vị, cơ quan, cấu hình văn bản, nhật ký). */
export default function AdminLayout() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  return (
    <>
      <PageHeader title={t('nav.admin')} description={t('admin.description', { agency: user.agency.name })} />
      <nav className="admin-tabs" aria-label={t('admin.sections')}>
        {ADMIN_SECTIONS.map((s) => (
          <NavLink key={s} to={s} className={({ isActive }) => (isActive ? 'admin-tabs__tab admin-tabs__tab--active' : 'admin-tabs__tab')}>
            {t(`admin.section.${s}`)}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </>
  );
}
