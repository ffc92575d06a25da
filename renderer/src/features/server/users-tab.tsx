/** Users of the sign-in page: a table, "Add user" and delete. Passwords go to the core and never come back. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServerUser } from '../../../../shared/schemas/server';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { TextField } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { ListState, ListToolbar } from '../../components/list-state';
import { useSubmit } from '../../components/use-submit';
import { formatDateTime } from '../../i18n/format';
import { useAppStore } from '../../state/store';

/** Shortest password the contract accepts. */
const MIN_PASSWORD = 8;

/** The Users tab. */
export function UsersTab() {
  const { t, i18n } = useTranslation();
  const users = useAppStore((s) => s.server.users);
  const loaded = useAppStore((s) => s.server.usersLoaded);
  const error = useAppStore((s) => s.server.usersError);
  const loadUsers = useAppStore((s) => s.loadUsers);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<ServerUser | null>(null);

  useEffect(() => {
    void loadUsers();
  }, [loadUsers]);

  return (
    <div className="stack">
      <ListToolbar intro={t('server.users.intro')} addLabel={t('server.users.add')} onAdd={() => setAdding(true)} />
      <ListState
        error={error}
        errorTitle={t('server.users.loadFailed')}
        onRetry={() => void loadUsers()}
        loaded={loaded}
        empty={users.length === 0}
        emptyText={t('server.users.empty')}
      >
        <div className="table-wrap">
          <table className="data-table">
            <caption className="sr-only">{t('server.users.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('server.users.email')}</th>
                <th scope="col">{t('server.users.name')}</th>
                <th scope="col">{t('server.users.userId')}</th>
                <th scope="col">{t('server.users.created')}</th>
                <th scope="col">
                  <span className="sr-only">{t('server.creds.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.user_id}>
                  <th scope="row" className="break">
                    {user.email}
                  </th>
                  <td className="break">{user.name || <span className="muted">{t('server.users.noName')}</span>}</td>
                  <td className="mono break">{user.user_id}</td>
                  <td>{formatDateTime(user.created_at, i18n.language)}</td>
                  <td>
                    <span className="row-actions">
                      <Button
                        size="sm"
                        variant="ghost"
                        className="danger-text"
                        aria-label={t('server.users.deleteOf', { email: user.email })}
                        onClick={() => setDeleting(user)}
                      >
                        {t('server.creds.delete')}
                      </Button>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </ListState>
      {adding && <AddUserDialog onClose={() => setAdding(false)} />}
      {deleting && <DeleteUserDialog user={deleting} onClose={() => setDeleting(null)} />}
    </div>
  );
}

function AddUserDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const createUser = useAppStore((s) => s.createUser);
  const pushToast = useAppStore((s) => s.pushToast);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});
  const { busy, error, run, clearError } = useSubmit();

  const onSubmit = () => {
    clearError();
    const next: typeof errors = {};
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) next.email = t('server.users.emailInvalid');
    if (password.length < MIN_PASSWORD) next.password = t('server.users.passwordTooShort', { count: MIN_PASSWORD });
    setErrors(next);
    if (next.email || next.password) return;
    return run(async () => {
      const trimmedName = name.trim();
      const user = await createUser({ email: email.trim(), password, ...(trimmedName ? { name: trimmedName } : {}) });
      pushToast({ kind: 'success', message: t('server.users.added', { email: user.email }) });
      onClose();
    });
  };

  return (
    <FormDialog
      title={t('server.users.addTitle')}
      description={t('server.users.addIntro')}
      submitLabel={t('server.users.addSubmit')}
      onSubmit={onSubmit}
      onClose={onClose}
      busy={busy}
      error={error}
      errorTitle={t('server.users.addFailed')}
    >
      <TextField
        label={t('server.users.email')}
        type="email"
        value={email}
        error={errors.email}
        onChange={(e) => {
          setEmail(e.target.value);
          setErrors((x) => ({ ...x, email: undefined }));
        }}
        maxLength={254}
        required
        autoComplete="off"
        spellCheck={false}
      />
      <TextField
        label={t('server.users.password')}
        hint={t('server.users.passwordHint', { count: MIN_PASSWORD })}
        type="password"
        value={password}
        error={errors.password}
        onChange={(e) => {
          setPassword(e.target.value);
          setErrors((x) => ({ ...x, password: undefined }));
        }}
        maxLength={256}
        required
        autoComplete="new-password"
      />
      <TextField label={t('server.users.nameOptional')} value={name} onChange={(e) => setName(e.target.value)} maxLength={128} autoComplete="off" />
    </FormDialog>
  );
}

function DeleteUserDialog({ user, onClose }: { user: ServerUser; onClose: () => void }) {
  const { t } = useTranslation();
  const deleteUser = useAppStore((s) => s.deleteUser);
  const pushToast = useAppStore((s) => s.pushToast);

  const onConfirm = async () => {
    await deleteUser(user.user_id);
    pushToast({ kind: 'success', message: t('server.users.deleted', { email: user.email }) });
  };

  return (
    <ConfirmDialog
      title={t('server.users.deleteTitle')}
      body={t('server.users.deleteBody', { email: user.email })}
      confirmLabel={t('server.users.deleteConfirm')}
      onConfirm={onConfirm}
      onClose={onClose}
    />
  );
}
