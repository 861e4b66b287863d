import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoleName } from '../../../../schema/validation/admin-user';
import { useCurrentUser } from '../../auth/session';
import { Dialog } from '../../components/documents/Dialog';
import { LoadState } from '../../components/documents/fields';
import {
  AdminCreateUserDocument,
  AdminResetPasswordDocument,
  AdminSetUserActiveDocument,
  AdminUnitsDocument,
  AdminUpdateUserDocument,
  AdminUsersDocument,
  type AdminUserFragment,
} from '../../graphql/generated';
import { useApiMutation, useApiQuery } from '../../graphql/hooks';
import { formatDateTime } from './format';
import { usePaging } from './usePaging';
import { UserForm } from './UserForm';
import { ActionFeedback } from '../../components/formParts';

const PAGE_SIZE = 20;

/** Người dùng: search and page through the agency's accounts; create, edit, deactivate, reset a password. */
export default function UsersPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [searchText, setSearchText] = useState('');
  const [search, setSearch] = useState('');
  const [active, setActive] = useState<'all' | 'true' | 'false'>('true');
  const paging = usePaging();
  const { reset: resetPaging } = paging;
  useEffect(() => {
    const h = setTimeout(() => setSearch(searchText.trim()), 300);
    return () => clearTimeout(h);
  }, [searchText]);
  useEffect(() => resetPaging(), [search, active, resetPaging]);

  const users = useApiQuery(
    AdminUsersDocument,
    { agencyId: me.agency.id, first: PAGE_SIZE, after: paging.after, search: search || null, active: active === 'all' ? null : active === 'true' },
    { requestPolicy: 'cache-and-network' },
  );
  const units = useApiQuery(AdminUnitsDocument, { includeInactive: false });
  const unitOptions = units.data?.adminUnits.filter((u) => u.active) ?? [];
  const [createUser] = useApiMutation(AdminCreateUserDocument);
  const [updateUser] = useApiMutation(AdminUpdateUserDocument);
  const [setUserActive] = useApiMutation(AdminSetUserActiveDocument);
  const [resetPassword] = useApiMutation(AdminResetPasswordDocument);

  const [dialog, setDialog] = useState<{ kind: 'create' } | { kind: 'edit'; user: AdminUserFragment } | { kind: 'password'; user: AdminUserFragment; password: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const act = async (fn: () => Promise<string | null>) => {
    setError(null);
    setNotice(null);
    try {
      setNotice(await fn());
    } catch (e) {
      setError(e);
    }
  };

  const conn = users.data?.users;
  return (
    <section aria-labelledby="admin-users-heading">
      <div className="doc-toolbar">
        <h2 id="admin-users-heading" className="doc-subheading">
          {t('admin.users.heading')}
        </h2>
        <button type="button" className="btn btn--primary" onClick={() => setDialog({ kind: 'create' })}>
          {t('admin.users.create')}
        </button>
      </div>
      <div className="inbox__filters">
        <label className="doc-search">
          <span className="visually-hidden">{t('admin.users.search')}</span>
          <input type="search" placeholder={t('admin.users.search')} value={searchText} onChange={(e) => setSearchText(e.target.value)} />
        </label>
        <label>
          {t('admin.users.status')}{' '}
          <select value={active} onChange={(e) => setActive(e.target.value as typeof active)}>
            <option value="true">{t('admin.users.activeOnly')}</option>
            <option value="false">{t('admin.users.inactiveOnly')}</option>
            <option value="all">{t('admin.common.all')}</option>
          </select>
        </label>
      </div>
      <ActionFeedback error={error} notice={notice} />
      <LoadState loading={users.fetching && !users.data} error={users.error} onRetry={users.refetch} />
      {conn ? (
        <>
          <p className="inbox__total">{t('admin.users.total', { count: conn.totalCount })}</p>
          <div className="doc-table-wrap">
            <table className="doc-table">
              <caption className="visually-hidden">{t('admin.users.heading')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.users.fullName')}</th>
                  <th scope="col">{t('admin.users.username')}</th>
                  <th scope="col">{t('admin.users.unit')}</th>
                  <th scope="col">{t('admin.users.roles')}</th>
                  <th scope="col">{t('admin.users.lastLogin')}</th>
                  <th scope="col">{t('admin.common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {conn.edges.map(({ node: u }) => (
                  <tr key={u.id} data-username={u.username}>
                    <td className="doc-table__name">
                      {u.fullName}
                      {u.title ? <span className="doc-muted"> — {u.title}</span> : null}
                      {!u.active ? <span className="doc-badge doc-badge--muted"> {t('admin.common.inactive')}</span> : null}
                      {u.mustChangePassword ? <span className="doc-badge doc-badge--warn"> {t('admin.users.mustChange')}</span> : null}
                    </td>
                    <td>{u.username}</td>
                    <td>{u.unit?.name ?? '—'}</td>
                    <td>{u.roles.map((r) => t(`roles.${r}`)).join(', ')}</td>
                    <td>{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : '—'}</td>
                    <td className="doc-table__actions">
                      <button type="button" className="btn btn--secondary doc-btn--small" onClick={() => setDialog({ kind: 'edit', user: u })} aria-label={`${t('admin.users.edit')}: ${u.fullName}`}>
                        {t('admin.users.edit')}
                      </button>
                      {u.id !== me.id ? (
                        <>
                          <button
                            type="button"
                            className="btn btn--secondary doc-btn--small"
                            aria-label={`${t('admin.users.resetPassword')}: ${u.fullName}`}
                            onClick={() =>
                              void act(async () => {
                                const r = await resetPassword({ input: { userId: u.id } });
                                setDialog({ kind: 'password', user: u, password: r.resetPassword.temporaryPassword });
                                return null;
                              })
                            }
                          >
                            {t('admin.users.resetPassword')}
                          </button>
                          <button
                            type="button"
                            className="btn btn--secondary doc-btn--small"
                            aria-label={`${u.active ? t('admin.users.deactivate') : t('admin.users.activate')}: ${u.fullName}`}
                            onClick={() =>
                              void act(async () => {
                                await setUserActive({ input: { id: u.id, active: !u.active } });
                                users.refetch();
                                return u.active ? t('admin.users.deactivated', { name: u.fullName }) : t('admin.users.activated', { name: u.fullName });
                              })
                            }
                          >
                            {u.active ? t('admin.users.deactivate') : t('admin.users.activate')}
                          </button>
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="doc-toolbar" aria-label={t('admin.common.paging')}>
            <button type="button" className="btn btn--secondary" disabled={paging.page === 0} onClick={paging.previous}>
              {t('admin.common.previous')}
            </button>
            <span>{t('admin.common.page', { page: paging.page + 1 })}</span>
            <button type="button" className="btn btn--secondary" disabled={!conn.pageInfo.hasNextPage} onClick={() => paging.next(conn.pageInfo.endCursor)}>
              {t('admin.common.next')}
            </button>
          </nav>
        </>
      ) : null}

      {dialog?.kind === 'create' ? (
        <Dialog title={t('admin.users.create')} onClose={() => setDialog(null)} wide>
          <UserForm
            mode="create"
            units={unitOptions}
            onCancel={() => setDialog(null)}
            onSubmit={async (v) => {
              const r = await createUser({
                input: { agencyId: me.agency.id, username: v.username, password: v.password, fullName: v.fullName, title: v.title || null, unitId: v.unitId || null, roles: v.roles },
              });
              setDialog(null);
              setNotice(t('admin.users.created', { name: r.createUser.fullName, username: r.createUser.username }));
              users.refetch();
            }}
          />
        </Dialog>
      ) : null}
      {dialog?.kind === 'edit' ? (
        <Dialog title={`${t('admin.users.edit')}: ${dialog.user.fullName}`} onClose={() => setDialog(null)} wide>
          <UserForm
            mode="edit"
            units={unitOptions}
            initial={{ fullName: dialog.user.fullName, title: dialog.user.title ?? '', unitId: dialog.user.unit?.id ?? '', roles: dialog.user.roles as RoleName[] }}
            onCancel={() => setDialog(null)}
            onSubmit={async (v) => {
              await updateUser({ input: { id: dialog.user.id, fullName: v.fullName, title: v.title, unitId: v.unitId || null, roles: v.roles } });
              setDialog(null);
              setNotice(t('admin.users.saved', { name: v.fullName }));
              users.refetch();
            }}
          />
        </Dialog>
      ) : null}
      {dialog?.kind === 'password' ? (
        <Dialog title={`${t('admin.users.resetPassword')}: ${dialog.user.fullName}`} onClose={() => setDialog(null)}>
          <p>{t('admin.users.temporaryPasswordIntro', { username: dialog.user.username })}</p>
          <p>
            <code className="doc-code" data-testid="temporary-password">
              {dialog.password}
            </code>
          </p>
          <p className="doc-muted">{t('admin.users.temporaryPasswordOnce')}</p>
          <div className="doc-form__actions">
            <button type="button" className="btn btn--primary" onClick={() => setDialog(null)} data-autofocus>
              {t('admin.users.temporaryPasswordDone')}
            </button>
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}
