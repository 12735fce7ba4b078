import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { collect, connected, eventually, openSocket, sessionCookie } from '../helpers/sockets.js';
import { notify } from '../../src/notifications/notifications.service.js';

// A notification's live push is an effect other people see: it must follow the commit that stored
// the notification, and never announce one that was rolled back.

let t: TestApp;
let anna: Socket;
let annaId: string;
let heard: { kind: string }[];

beforeAll(async () => {
  t = await startTestApp();
  const base = await t.listen();
  annaId = (await demoIds(t.db)).user('anna');
  anna = openSocket(base, await sessionCookie(base, 'anna'));
  await connected(anna);
  heard = collect<{ kind: string }>(anna, 'notification:new');
});
afterAll(async () => {
  anna.disconnect();
  await t.close();
});

const stored = async (kind: string) =>
  Number(
    (await t.db('notifications').where({ user_id: annaId, kind }).count<{ count: string }[]>('* as count'))[0]?.count,
  );

describe('notify inside a transaction', () => {
  it('a transaction that rolls back stores no notification and pushes nothing to the person', async () => {
    heard.length = 0;
    const rolledBack = t.db.transaction(async (trx) => {
      await notify(trx, t.realtime, { userId: annaId, kind: 'post_declined', link: '/' });
      throw new Error('something later in the use case failed');
    });
    await expect(rolledBack).rejects.toThrow('something later in the use case failed');
    // A barrier through the same path: a committed notification arrives after any push of the first would have.
    await notify(t.db, t.realtime, { userId: annaId, kind: 'care_reply', link: '/' });
    await eventually(() => heard.length > 0);
    expect(heard).toEqual([{ kind: 'care_reply' }]);
    expect(await stored('post_declined')).toBe(0);
  });

  it('a committed notification is pushed only once its transaction has committed, also from a nested one', async () => {
    heard.length = 0;
    await t.db.transaction(async (trx) => {
      await trx.transaction(async (inner) =>
        notify(inner, t.realtime, { userId: annaId, kind: 'post_approved', link: '/' }),
      );
      // Sent straight away, inside the transaction: it must reach anna before the notification does.
      t.realtime.emitToUser(annaId, 'notification:new', { kind: 'barrier' });
    });
    await eventually(() => heard.length === 2);
    expect(heard).toEqual([{ kind: 'barrier' }, { kind: 'post_approved' }]);
    expect(await stored('post_approved')).toBe(1);
  });
});
