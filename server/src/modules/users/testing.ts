import type { Session, TestSystem } from '../../db/testing.js';
import type { CreateUser } from './schemas.js';

/** The passwords newUserSession sets: the initial one an administrator gives, and the user's own. */
export const INITIAL_PASSWORD = 'Initial#Lantern42';
export const OWN_PASSWORD = 'Changed#Lantern42';

/**
 * For tests: a user created by `admin` and signed in, the initial password already changed as the
 * server demands at the first sign-in.
 */
export async function newUserSession(sys: TestSystem, admin: Session, user: Omit<CreateUser, 'password'>): Promise<Session> {
  const created = await admin.request({ method: 'POST', url: '/api/users', payload: { ...user, password: INITIAL_PASSWORD } });
  if (created.statusCode !== 201) throw new Error(`create ${user.username}: ${created.statusCode} ${created.body}`);
  const session = await sys.login(user.username, INITIAL_PASSWORD);
  const changed = await session.request({
    method: 'POST',
    url: '/api/me/password',
    payload: { currentPassword: INITIAL_PASSWORD, newPassword: OWN_PASSWORD },
  });
  if (changed.statusCode !== 204) throw new Error(`password change of ${user.username}: ${changed.statusCode} ${changed.body}`);
  return session;
}
