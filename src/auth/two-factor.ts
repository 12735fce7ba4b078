import { createHash, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { Db } from '../db/knex.js';

const STEP_SECONDS = 30;

/** A new TOTP secret (base32) for enrolment. */
export const newTotpSecret = (): string => generateSecret();

/** The otpauth:// URI and a QR code (data: URI, no third party) for an authenticator app. */
export async function enrolmentQr(secret: string, username: string): Promise<{ uri: string; qr: string }> {
  const uri = generateURI({ issuer: 'SHaRON', label: username, secret });
  return { uri, qr: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
}

/**
 * Checks a 6-digit code (one step either side allowed for clock drift) and that its time step was
 * not used before: a code works once. Returns the step to record, or null.
 */
export async function checkTotp(
  secret: string,
  code: string,
  lastStep: number | null,
  now: Date,
): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epochTolerance: STEP_SECONDS,
    epoch: Math.floor(now.getTime() / 1000),
  }).catch(() => ({ valid: false as const }));
  if (!result.valid) return null;
  const step = Math.floor(now.getTime() / 1000 / STEP_SECONDS) + result.delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}

const hashCode = (code: string) =>
  createHash('sha256')
    .update(code.toUpperCase().replace(/[^A-Z0-9]/g, ''))
    .digest('hex');

/** Ten single-use recovery codes: shown once, stored as hashes. */
export async function issueRecoveryCodes(db: Db, userId: string): Promise<string[]> {
  const codes = Array.from({ length: 10 }, () =>
    randomBytes(5)
      .toString('hex')
      .toUpperCase()
      .replace(/(.{5})(.{5})/, '$1-$2'),
  );
  await db('recovery_codes').where({ user_id: userId }).delete();
  await db('recovery_codes').insert(codes.map((c) => ({ user_id: userId, code_hash: hashCode(c) })));
  return codes;
}

/** Uses a recovery code if it is one of the person's unused ones. */
export async function useRecoveryCode(db: Db, userId: string, code: string): Promise<boolean> {
  const n = await db('recovery_codes')
    .where({ user_id: userId, code_hash: hashCode(code) })
    .whereNull('used_at')
    .update({ used_at: db.fn.now() });
  return n > 0;
}

export interface TwoFactorState {
  secret: string | null;
  enabled: boolean;
  lastStep: number | null;
}

export async function twoFactorState(db: Db, userId: string): Promise<TwoFactorState> {
  const r = await db('users').where({ id: userId }).first('totp_secret', 'totp_enabled_at', 'totp_last_step');
  return {
    secret: r?.totp_secret ?? null,
    enabled: Boolean(r?.totp_enabled_at),
    lastStep: r?.totp_last_step === null || r?.totp_last_step === undefined ? null : Number(r.totp_last_step),
  };
}

/** Records the used step; false when another sign-in used it first (the UPDATE decides). */
export async function recordTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const n = await db('users')
    .where({ id: userId })
    .andWhere((q) => q.whereNull('totp_last_step').orWhere('totp_last_step', '<', step))
    .update({ totp_last_step: step });
  return n > 0;
}

export async function enableTotp(db: Db, userId: string, secret: string, step: number): Promise<void> {
  await db('users')
    .where({ id: userId })
    .update({ totp_secret: secret, totp_enabled_at: db.fn.now(), totp_last_step: step });
}
