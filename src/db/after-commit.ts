import type { Knex } from 'knex';
import type { Db } from './knex.js';

/**
 * Runs `effect` once what was written through `db` is committed: at once outside a transaction;
 * inside one, after the outermost transaction commits; never when it rolls back. For effects that
 * other people see (socket emits, live notification pushes): they must never announce a write that
 * may still vanish. The effect runs after commit, so it cannot fail the transaction.
 */
export function afterCommit(db: Db, effect: () => void): void {
  if (!db.isTransaction) return effect();
  let trx = db as Knex.Transaction;
  while (trx.parentTransaction) trx = trx.parentTransaction;
  // A rollback rejects the transaction's promise: the effect is dropped, and the caller, who
  // awaits the same promise, sees the error.
  trx.executionPromise.then(effect, () => undefined);
}
