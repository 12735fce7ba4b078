import type { Db } from '../../src/db/knex.js';

/** Ids of demo rows by name, for building URLs in tests. */
export async function demoIds(db: Db) {
  const rooms = await db('rooms').select('id', 'name');
  const subnets = await db('subnets').select('id', 'slug');
  const users = await db('users').select('id', 'username');
  const cohorts = await db('cohorts as c')
    .join('subnets as s', 's.id', 'c.subnet_id')
    .select('c.id', db.raw("s.slug || '/' || c.slug as key"));
  const pick = (rows: { id: string }[], key: string, value: string) => {
    const row = rows.find((r) => (r as unknown as Record<string, string>)[key] === value);
    if (!row) throw new Error(`no demo row ${value}`);
    return row.id;
  };
  return {
    room: (name: string) => pick(rooms, 'name', name),
    subnet: (slug: string) => pick(subnets, 'slug', slug),
    user: (username: string) => pick(users, 'username', username),
    cohort: (key: string) => pick(cohorts as { id: string }[], 'key', key),
    allRooms: rooms as { id: string; name: string }[],
  };
}
