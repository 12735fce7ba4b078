import { z } from 'zod';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { openDatabase } from '../db/open.js';
import { Nickname, Username } from '../auth/identity.schemas.js';
import { hashPassword, NewPassword } from '../auth/passwords.js';
import { findTaken, insertUser } from '../auth/auth.service.js';
import { NICKNAME_TOO_CLOSE } from '../auth/identity-taken.js';
import { recordAudit } from '../audit/audit.service.js';
import { runCommand } from './run-command.js';

/**
 * `npm run admin:create`: the first admin of a new installation (there are no default accounts
 * in production). Reads ADMIN_USERNAME, ADMIN_PASSWORD and optionally ADMIN_NICKNAME.
 */
const Input = z.object({
  ADMIN_USERNAME: Username,
  ADMIN_PASSWORD: NewPassword,
  ADMIN_NICKNAME: Nickname.optional(),
});

await runCommand('admin:create failed', async (scope) => {
  const parsed = Input.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(
      `Set ADMIN_USERNAME and ADMIN_PASSWORD (10 to 128 characters): ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const { ADMIN_USERNAME: username, ADMIN_PASSWORD: password, ADMIN_NICKNAME } = parsed.data;
  const nickname = ADMIN_NICKNAME ?? 'Site keeper';
  const config = loadConfig();
  const database = await openDatabase(config, createLogger(config.logLevel));
  scope.defer(() => database.close());
  const taken = await findTaken(database.db, username, nickname);
  if (taken.username) throw new Error('An account with that username already exists.');
  if (taken.nickname)
    throw new Error(
      taken.nickname === 'too_close' ? NICKNAME_TOO_CLOSE : 'An account with that nickname already exists.',
    );
  const id = await insertUser(database.db, {
    username,
    nickname,
    displayName: null,
    role: 'admin',
    passwordHash: await hashPassword(password),
  });
  await recordAudit(
    database.db,
    { actorId: null, ip: null },
    { action: 'staff.create', targetType: 'user', targetId: id, details: { role: 'admin', via: 'cli' } },
  );
  process.stdout.write(`Admin account "${username}" created.\n`);
});
