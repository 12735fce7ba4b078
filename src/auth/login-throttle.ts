import type { Db } from '../db/knex.js';
import { createFailureLimiter } from '../http/rate-limit.js';

/**
 * Login throttling, counting failures only:
 * - username + IP: 5 failures, then that pair waits 15 minutes. A stranger guessing from
 *   elsewhere never locks the real person out of their own device.
 * - username, from anywhere: 30 failures in 15 minutes, then 15 minutes' wait, against a guesser
 *   rotating addresses. The wait is short and ends by itself: it never locks anyone out for good.
 * - IP: 100 failures a day, against one address spraying many usernames.
 */
export interface LoginThrottle {
  /** Seconds to wait, or 0 when this attempt may go ahead. */
  retryAfter(username: string, ip: string): Promise<number>;
  recordFailure(username: string, ip: string): Promise<void>;
  recordSuccess(username: string, ip: string): Promise<void>;
}

export function createLoginThrottle(db: Db): LoginThrottle {
  const byUserIp = createFailureLimiter(db, 'login_user_ip', 5, 15 * 60);
  const byUser = createFailureLimiter(db, 'login_user', 30, 15 * 60);
  const byIp = createFailureLimiter(db, 'login_ip', 100, 24 * 3600);
  const user = (u: string) => u.toLowerCase().slice(0, 64);
  const pair = (u: string, ip: string) => `${u.toLowerCase().slice(0, 64)}|${ip}`;
  return {
    async retryAfter(username, ip) {
      const waits = await Promise.all([
        byUserIp.retryAfter(pair(username, ip)),
        byUser.retryAfter(user(username)),
        byIp.retryAfter(ip),
      ]);
      return Math.max(...waits);
    },
    async recordFailure(username, ip) {
      await Promise.all([
        byUserIp.recordFailure(pair(username, ip)),
        byUser.recordFailure(user(username)),
        byIp.recordFailure(ip),
      ]);
    },
    async recordSuccess(username, ip) {
      await byUserIp.reset(pair(username, ip));
    },
  };
}
