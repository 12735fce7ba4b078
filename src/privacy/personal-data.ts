import type { Db } from '../db/knex.js';

/**
 * The shape in which a feature declares the personal data it holds (its `personal-data.ts`), read
 * by the registry (`registry.ts`). Kept apart from the registry so that a feature's declaration
 * imports nothing but this file and its own tables.
 */

/** On erasure, keep what the member wrote (shown as "Former member …") or remove its text. */
export type ErasureMode = 'keep' | 'remove';

/**
 * What happens to one column that points at a person (a foreign key to users.id):
 * `export: true` means the download lists the rows it links to the person, otherwise the reason
 * it does not; `erase: true` means erasure scrubs or deletes those rows, otherwise why it stays.
 */
export interface ColumnRule {
  readonly export: true | { readonly omit: string };
  readonly erase: true | { readonly retain: string };
}

/** Exported and erased by this table's own functions. */
export const COVERED: ColumnRule = { export: true, erase: true };

/**
 * A column naming the staff member who did something (moderated, recorded, created). Erasure is
 * for members (patients, carers, professionals), who never hold these; the record of a staff
 * action stays with the service.
 */
export function staffAction(what: string): ColumnRule {
  const why = `${what}: a staff action; erasure is for members, who never act as staff, and the service keeps the record`;
  return { export: { omit: why }, erase: { retain: why } };
}

/** One table's personal data: which columns name a person, how to export them and how to erase them. */
export interface PersonalDataTable {
  readonly table: string;
  /** Every column of `table` that references users.id, with its rule. Tables without one say how they find the person in `findsPersonBy`. */
  readonly personColumns: Readonly<Record<string, ColumnRule>>;
  /** For tables with no such column: how the person's rows are found (for the reader, and the docs). */
  readonly findsPersonBy?: string;
  /** The section of "download my data" this table fills, and how it is read. */
  readonly export?: { readonly key: string; read(db: Db, userId: string): Promise<unknown> };
  /** Scrubs or deletes the person's rows in this table, inside the erasure's transaction. */
  erase?(trx: Db, userId: string, mode: ErasureMode): Promise<void>;
}

/** What erasure writes in place of text a member wrote, where the column cannot be empty. */
export const ERASED_TEXT = "(removed at the member's request)";
