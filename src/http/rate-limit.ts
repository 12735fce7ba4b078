import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Db } from '../db/knex.js';

/** Counts failures per key in PostgreSQL (shared by every app process) and says how long to wait. */
export interface FailureLimiter {
  /** Seconds to wait before another attempt, or 0. */
  retryAfter(key: string): Promise<number>;
  recordFailure(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

function postgresLimiter(
  db: Db,
  opts: { keyPrefix: string; points: number; duration: number; blockDuration?: number },
): RateLimiterPostgres {
  return new RateLimiterPostgres({
    storeClient: db,
    storeType: 'knex',
    tableName: 'rate_limits',
    tableCreated: true,
    clearExpiredByTimeout: false,
    ...opts,
  });
}

/** `points` failures within `seconds`, then the key waits `seconds`. */
export function createFailureLimiter(db: Db, prefix: string, points: number, seconds: number): FailureLimiter {
  const limiter = postgresLimiter(db, { keyPrefix: prefix, points, duration: seconds, blockDuration: seconds });
  return {
    async retryAfter(key) {
      const r = await limiter.get(key);
      return r && r.consumedPoints >= points ? Math.max(1, Math.ceil(r.msBeforeNext / 1000)) : 0;
    },
    async recordFailure(key) {
      await limiter.consume(key).catch((e: unknown) => {
        // consume() rejects with a RateLimiterRes once the limit is passed: expected, not an error.
        if (!(e instanceof RateLimiterRes)) throw e;
      });
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
