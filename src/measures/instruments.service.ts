import type { z } from 'zod';
import type { Db } from '../db/knex.js';
import { recordAudit, type AuditContext } from '../audit/audit.service.js';
import type { SubnetSummary } from '../building/building.service.js';
import type { FieldError } from '../http/forms.js';
import { allInstruments } from './catalogue.repo.js';
import { InstrumentDefinition } from './instrument.js';
import { BUILT_IN_INSTRUMENTS, isBuiltIn } from './instruments/index.js';
import {
  disableInstrument,
  enableInstrument,
  findEnabledKeys,
  findStoredInstrument,
  upsertInstrument,
} from './measures.repo.js';

/** The instruments an admin sees for a subnet: the built-in ones, and every added one with whether it is enabled here. */
export interface SubnetInstruments {
  builtIn: readonly InstrumentDefinition[];
  added: { definition: InstrumentDefinition; enabled: boolean }[];
}

/** The instruments for a subnet's admin page. */
export async function subnetInstruments(db: Db, subnetId: string): Promise<SubnetInstruments> {
  const [all, enabled] = await Promise.all([allInstruments(db), findEnabledKeys(db, subnetId)]);
  return {
    builtIn: BUILT_IN_INSTRUMENTS,
    added: all
      .filter((d) => !isBuiltIn(d.key))
      .map((definition) => ({ definition, enabled: enabled.includes(definition.key) })),
  };
}

/** The instruments a subnet may schedule: the built-in ones and the added ones enabled in it. */
export async function availableInstruments(db: Db, subnetId: string): Promise<InstrumentDefinition[]> {
  const { builtIn, added } = await subnetInstruments(db, subnetId);
  return [...builtIn, ...added.filter((a) => a.enabled).map((a) => a.definition)];
}

/** Where a zod issue is, in words: ["items", 2, "linkId"] -> "items › number 3 › linkId" (the path as written, counted from 1). */
function where(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'The definition';
  return path.map((p) => (typeof p === 'number' ? `number ${p + 1}` : String(p))).join(' › ');
}

/** A zod issue as a sentence a person can act on. */
function inWords(issue: z.core.$ZodIssue): string {
  const at = where(issue.path);
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message))
    return at === 'licence'
      ? 'licence: is missing. Every definition must carry its licence note (who owns the text and what use it allows)'
      : `${at}: is missing`;
  if (issue.code === 'unrecognized_keys') return `${at}: has fields the format does not know: ${issue.keys.join(', ')}`;
  if (issue.code === 'too_small' && issue.origin === 'string')
    return `${at}: is too short (at least ${String(issue.minimum)} characters)`;
  if (issue.code === 'too_big' && issue.origin === 'string')
    return `${at}: is too long (at most ${String(issue.maximum)} characters)`;
  if (issue.code === 'too_small' && issue.origin === 'array')
    return `${at}: needs at least ${String(issue.minimum)} entries`;
  return `${at}: ${issue.message}`;
}

/**
 * Reads a definition file's text: JSON, then the InstrumentDefinition schema. Every problem is
 * returned at once, each naming where it is (the zod path) in plain words.
 */
export function readDefinition(
  text: string,
): { ok: true; definition: InstrumentDefinition } | { ok: false; errors: FieldError[] } {
  const field = 'definition';
  if (!text.trim())
    return { ok: false, errors: [{ field, message: 'Paste the definition file, or choose a file to upload' }] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [{ field, message: `The text is not valid JSON: ${(e as Error).message}` }] };
  }
  const parsed = InstrumentDefinition.safeParse(json);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => ({ field, message: inWords(i) })) };
  return { ok: true, definition: parsed.data };
}

export type AddOutcome = { ok: true; key: string; replaced: boolean } | { ok: false; errors: FieldError[] };

/**
 * Adds (or replaces) an instrument from a definition file's text and enables it in the subnet, with
 * its audit rows, in one transaction. Refused, with a message, when the file does not pass the
 * schema, its key is a built-in one's, or a stored definition of that key already has responses.
 */
export async function addInstrument(
  db: Db,
  ctx: AuditContext,
  subnet: SubnetSummary,
  text: string,
): Promise<AddOutcome> {
  const read = readDefinition(text);
  if (!read.ok) return read;
  const d = read.definition;
  const field = 'definition';
  if (isBuiltIn(d.key))
    return {
      ok: false,
      errors: [
        { field, message: `key: “${d.key}” is a built-in instrument’s key and cannot be replaced. Choose another key` },
      ],
    };
  return db.transaction(async (trx) => {
    const stored = await findStoredInstrument(trx, d.key);
    if (stored && stored.responses > 0)
      return {
        ok: false as const,
        errors: [
          {
            field,
            message: `key: “${d.key}” already has ${stored.responses} answer(s) from members, so its definition cannot be replaced. Give this version a new key (for example ${d.key}-v2)`,
          },
        ],
      };
    await upsertInstrument(trx, d.key, d, ctx.actorId);
    const details = { subnet_id: subnet.id, version: d.version, items: d.items.length };
    await recordAudit(trx, ctx, {
      action: stored ? 'measure_instrument.replace' : 'measure_instrument.add',
      targetType: 'instrument',
      targetId: d.key,
      details,
    });
    if (await enableInstrument(trx, subnet.id, d.key, ctx.actorId))
      await recordAudit(trx, ctx, {
        action: 'measure_instrument.enable',
        targetType: 'instrument',
        targetId: d.key,
        details: { subnet_id: subnet.id },
      });
    return { ok: true as const, key: d.key, replaced: !!stored };
  });
}

/**
 * Sets which added instruments a subnet has enabled (keys that are not added instruments are
 * ignored), auditing each one switched on or off, in one transaction. A disabled instrument is no
 * longer offered to members; its answers stay.
 */
export async function setEnabledInstruments(
  db: Db,
  ctx: AuditContext,
  subnet: SubnetSummary,
  keys: readonly string[],
): Promise<void> {
  const added = (await subnetInstruments(db, subnet.id)).added;
  await db.transaction(async (trx) => {
    for (const { definition, enabled } of added) {
      const want = keys.includes(definition.key);
      if (want === enabled) continue;
      const changed = want
        ? await enableInstrument(trx, subnet.id, definition.key, ctx.actorId)
        : await disableInstrument(trx, subnet.id, definition.key);
      if (changed)
        await recordAudit(trx, ctx, {
          action: want ? 'measure_instrument.enable' : 'measure_instrument.disable',
          targetType: 'instrument',
          targetId: definition.key,
          details: { subnet_id: subnet.id },
        });
    }
  });
}
