import type { Db } from '../db/knex.js';
import type { PersonalDataTable } from '../privacy/personal-data.js';
import { deleteSessionsOfUser } from './sessions.repo.js';

/**
 * The account itself: sign-in names, nickname (and its look-alike skeleton), password, two-factor
 * secret and recovery codes, sessions, sign-in throttling. The users row is erased last (other
 * tables' erasure may still need the old username), so the registry lists this file's `users`
 * entry after every other.
 */

/** The login throttle's keys for a username (src/auth/login-throttle.ts: lowercased, 64 characters). */
function throttleKeys(username: string): { exact: string; prefix: string } {
  const u = username.toLowerCase().slice(0, 64);
  return { exact: `login_user:${u}`, prefix: `login_user_ip:${u}|` };
}

export const AUTH_PERSONAL_DATA: readonly PersonalDataTable[] = [
  {
    table: 'recovery_codes',
    personColumns: {
      user_id: {
        export: { omit: 'hashes of single-use sign-in codes: secrets, not information about the person' },
        erase: true,
      },
    },
    async erase(trx, userId) {
      await trx('recovery_codes').where({ user_id: userId }).delete();
    },
  },
  {
    table: 'session',
    personColumns: {},
    findsPersonBy:
      "sess -> 'passport' ->> 'user' (the signed-in person's id); listed to the person at /account/sessions, not in the download",
    async erase(trx, userId) {
      await deleteSessionsOfUser(trx, userId);
    },
  },
  {
    table: 'rate_limits',
    personColumns: {},
    findsPersonBy:
      "key: 'login_user:<username>' and 'login_user_ip:<username>|<address>' (failed sign-ins); counters, not in the download",
    async erase(trx, userId) {
      const user: { username: string } | undefined = await trx('users').where({ id: userId }).first('username');
      if (!user) return;
      const keys = throttleKeys(user.username);
      await trx('rate_limits')
        .where('key', keys.exact)
        .orWhereRaw('left(key, ?) = ?', [keys.prefix.length, keys.prefix])
        .delete();
    },
  },
];

/** The users row: kept as "Former member <tag>" so that kept content has an author; everything personal in it goes. */
export const USERS_PERSONAL_DATA: PersonalDataTable = {
  table: 'users',
  personColumns: {},
  findsPersonBy: 'id',
  export: {
    key: 'profile',
    read: (db: Db, userId: string) =>
      db('users')
        .where({ id: userId })
        .first('username', 'nickname', 'role', 'work_email', 'created_at', 'last_seen_at'),
  },
  async erase(trx, userId) {
    const tag = userId.replace(/-/g, '').slice(0, 8);
    // No nickname skeleton: the old nickname's look-alikes are free again, and "Former member" tags never block anyone.
    // The role stays (members show no badge either way); the two-factor secret goes in both modes.
    await trx('users')
      .where({ id: userId })
      .update({
        username: `erased-${tag}`,
        nickname: `Former member ${tag}`,
        nickname_skeleton: null,
        display_name: null,
        password_hash: null,
        totp_secret: null,
        totp_enabled_at: null,
        totp_last_step: null,
        work_email: null,
        oidc_issuer: null,
        oidc_subject: null,
        oidc_linked_at: null,
        status: 'erased',
        status_changed_at: trx.fn.now(),
        last_seen_at: null,
      });
  },
};
