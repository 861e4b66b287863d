import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../auth/session';
import { Icon } from './Icon';

/** Who is signed in: full name, title (chức vụ), optionally the agency, and role labels. */
export function UserSummary({ showAgency = false, className }: { showAgency?: boolean; className?: string }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  // The role shows once: a role whose label the title (chức vụ) already says ("Văn thư", "Trưởng phòng Kinh tế") is not repeated.
  const title = (user.title ?? '').toLocaleLowerCase('vi');
  const roles = user.roles.filter((role) => !title || !title.includes(t(`roles.${role}`).toLocaleLowerCase('vi')));
  return (
    <div className={className ? `user-card ${className}` : 'user-card'}>
      <Icon name="user" className="user-card__avatar" />
      <div className="user-card__text">
        <span className="user-card__name">{user.fullName}</span>
        {user.title ? <span className="user-card__title">{user.title}</span> : null}
        {showAgency ? <span className="user-card__agency">{user.agency.name}</span> : null}
        {roles.length ? (
          <ul className="role-list" aria-label={t('user.roles')}>
            {roles.map((role) => (
              <li key={role} className="role-badge">
                {t(`roles.${role}`)}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
