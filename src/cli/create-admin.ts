import { z } from 'zod';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { openDatabase } from '../db/open.js';
import { Nickname, Username } from '../auth/identity.schemas.js';
import { hashPassword, NewPassword } from '../auth/passwords.js';
import { findTaken, insertUser } from '../auth/users.repo.js';
import { recordAudit } from '../audit/audit.service.js';

/**
 * `npm run admin:create`: the first admin of a new installation (there are no default accounts
 * in production). Reads ADMIN_USERNAME, ADMIN_PASSWORD and optionally ADMIN_NICKNAME.
 */
const Input = z.object({
  ADMIN_USERNAME: Username,
  ADMIN_PASSWORD: NewPassword,
  ADMIN_NICKNAME: Nickname.optional(),
});

const parsed = Input.safeParse(process.env);
if (!parsed.success) {
  process.stderr.write(`Set ADMIN_USERNAME and ADMIN_PASSWORD (10 to 128 characters):\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}\n`);
  process.exit(1);
}
const { ADMIN_USERNAME: username, ADMIN_PASSWORD: password, ADMIN_NICKNAME } = parsed.data;
const nickname = ADMIN_NICKNAME ?? 'Site keeper';
const config = loadConfig();
const database = await openDatabase(config, createLogger(config.logLevel));
try {
  const taken = await findTaken(database.db, username, nickname);
  if (taken.username || taken.nickname) {
    process.stderr.write(`An account with that ${taken.username ? 'username' : 'nickname'} already exists.\n`);
    process.exitCode = 1;
  } else {
    const id = await insertUser(database.db, { username, nickname, displayName: null, role: 'admin', passwordHash: await hashPassword(password) });
    await recordAudit(database.db, { actorId: null, ip: null }, { action: 'staff.create', targetType: 'user', targetId: id, details: { role: 'admin', via: 'cli' } });
    process.stdout.write(`Admin account "${username}" created.\n`);
  }
} finally {
  await database.close();
}
