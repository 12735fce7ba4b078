import { SingleBar, Presets } from 'cli-progress';
import type { Db } from '../src/db/knex.js';
import { hashPassword } from '../src/auth/passwords.js';
import type { Profile } from './profiles.js';
import { must } from './processes.js';

/** What the measurements need to know about the generated data. */
export interface Fixtures {
  /** Living rooms with the members who may enter each (generated members only). */
  livingRooms: { id: string; memberIds: string[] }[];
  /** The living room holding `historyRoomMessages` messages. */
  historyRoomId: string;
  /**
   * One room of each other kind with a member who may enter it: the generated noticeboard (with its
   * threads) and library (with its items), and the demo building's television (the generated
   * building has none).
   */
  otherRooms: Record<'noticeboard' | 'library' | 'television', { id: string; memberId: string }>;
}

const SENTENCES = [
  'Thank you all for being here tonight, it really helps to know someone is awake.',
  'I had a hard day but I managed my lunch, which felt like a small win.',
  'Does anyone have tips for the evenings? That is when it gets loud in my head.',
  'Sending you strength. You got through yesterday and you can get through today.',
  'My appointment is next week and I am nervous about it.',
  'I went for a short walk with my sister and we talked about normal things.',
  'Can someone remind me of the grounding exercise from the library?',
  'It is okay to have a wobble. Tomorrow is a new start.',
  'I read the article on sleep in the library, the routine part was useful.',
  'Hello everyone, first time posting here. I am a bit shy.',
  'Welcome! Take your time, there is no pressure to say anything.',
  'I noticed the urge and waited it out with the TV room videos.',
];

const DATASET_MARK = 'bench_dataset';

/** The profile whose data this database already holds, if any. */
export async function datasetIn(db: Db): Promise<string | null> {
  const exists = await db.schema.hasTable(DATASET_MARK);
  if (!exists) return null;
  const row = await db(DATASET_MARK).first('profile');
  return row?.profile ?? null;
}

/**
 * Generates the benchmark's building beside the demo data: subnets with two cohorts each, living
 * rooms (two per cohort and one shared), a noticeboard or a library, members, messages (one room
 * holds `historyRoomMessages` of them), noticeboard threads and replies, and library items.
 * Bulk SQL (generate_series) with a progress bar; ANALYZE at the end.
 */
export async function generateDataset(db: Db, profile: Profile): Promise<void> {
  const bar = new SingleBar(
    {
      format: 'generating data |{bar}| {percentage}% {value}/{total} rows · {step}',
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    Presets.shades_classic,
  );
  const total = profile.members * 2 + profile.messages + profile.posts + profile.libraryItems;
  bar.start(total, 0, { step: 'building' });
  const passwordHash = await hashPassword('bench-member-password');

  const subnetIds: string[] = [];
  const living: string[] = [];
  const noticeboards: string[] = [];
  const libraries: string[] = [];
  for (let s = 0; s < profile.subnets; s++) {
    const [subnet] = await db('subnets')
      .insert({
        name: `Bench service ${s + 1}`,
        slug: `bench-${s + 1}`,
        description: 'Generated for the benchmark',
        crisis_contacts: 'Samaritans: call 116 123 (free, 24 hours).',
      })
      .returning('id');
    subnetIds.push(subnet.id);
    await db('watched_words').insert(
      ['email', 'phone', 'link'].map((pattern) => ({ subnet_id: subnet.id, kind: 'builtin', pattern, action: 'hold' })),
    );
    const cohorts = await db('cohorts')
      .insert([
        { subnet_id: subnet.id, name: 'Group A', slug: 'a' },
        { subnet_id: subnet.id, name: 'Group B', slug: 'b' },
      ])
      .returning('id');
    const [a, b] = cohorts.map((c: { id: string }) => c.id) as [string, string];
    const audiences = [[a], [b], [a], [b], [a, b]];
    for (let r = 0; r < profile.livingRoomsPerSubnet; r++) {
      const [room] = await db('rooms')
        .insert({
          subnet_id: subnet.id,
          kind: 'living_room',
          name: `Living room ${r + 1}`,
          description: 'Evening group',
        })
        .returning('id');
      await db('room_audiences').insert(
        must(audiences[r % audiences.length]).map((cohort_id) => ({
          room_id: room.id,
          subnet_id: subnet.id,
          cohort_id,
        })),
      );
      living.push(room.id);
    }
    const kind = s % 2 === 0 ? 'noticeboard' : 'library';
    const [other] = await db('rooms')
      .insert({ subnet_id: subnet.id, kind, name: kind === 'noticeboard' ? 'Noticeboard' : 'Library', description: '' })
      .returning('id');
    await db('room_audiences').insert(
      [a, b].map((cohort_id) => ({ room_id: other.id, subnet_id: subnet.id, cohort_id })),
    );
    (kind === 'noticeboard' ? noticeboards : libraries).push(other.id);
  }

  bar.update({ step: 'members' });
  await db.raw(
    `INSERT INTO users (username, nickname, role, password_hash, created_at)
     SELECT 'bench' || lpad(g::text, 6, '0'), 'Member ' || g, 'patient', ?, now() - interval '60 days'
     FROM generate_series(1, ?) g`,
    [passwordHash, profile.members],
  );
  bar.increment(profile.members);
  await db.raw(
    `WITH u AS (SELECT id, (substr(username, 6)::int - 1) AS i FROM users WHERE username LIKE 'bench%'),
          s AS (SELECT id, (substr(slug, 7)::int - 1) AS i FROM subnets WHERE slug LIKE 'bench-%')
     INSERT INTO memberships (user_id, subnet_id, cohort_id, started_at)
     SELECT u.id, s.id, c.id, now() - interval '60 days'
     FROM u JOIN s ON s.i = u.i % ? JOIN cohorts c ON c.subnet_id = s.id AND c.slug = CASE WHEN (u.i / ?) % 2 = 0 THEN 'a' ELSE 'b' END`,
    [profile.subnets, profile.subnets],
  );
  bar.increment(profile.members);

  // Who may post in each living room: members of a cohort in its audience, numbered 1..n.
  await db.raw(`CREATE TEMP TABLE bench_room_members AS
    SELECT ra.room_id, row_number() OVER (PARTITION BY ra.room_id ORDER BY m.user_id) AS k, m.user_id
    FROM room_audiences ra JOIN memberships m ON m.cohort_id = ra.cohort_id JOIN users u ON u.id = m.user_id AND u.username LIKE 'bench%'`);
  await db.raw('CREATE INDEX ON bench_room_members (room_id, k)');
  const sizes = new Map<string, number>(
    (await db.raw('SELECT room_id, count(*)::int AS n FROM bench_room_members GROUP BY room_id')).rows.map(
      (r: { room_id: string; n: number }) => [r.room_id, r.n],
    ),
  );

  // Messages in time order across the building, as they arrive in life: each of 100 slots is a
  // room; the history room takes its share of the slots, the other rooms the rest.
  const historyRoomId = must(living[0]);
  const others = living.slice(1);
  const historySlots = Math.round((100 * profile.historyRoomMessages) / profile.messages);
  await db.raw('CREATE TEMP TABLE bench_room_slots (slot int PRIMARY KEY, room_id uuid, n int)');
  for (let slot = 0; slot < 100; slot++) {
    const roomId = slot < historySlots ? historyRoomId : must(others[slot % others.length]);
    await db('bench_room_slots').insert({ slot, room_id: roomId, n: sizes.get(roomId) ?? 1 });
  }
  const BATCH = 50_000;
  for (let from = 1; from <= profile.messages; from += BATCH) {
    const to = Math.min(profile.messages, from + BATCH - 1);
    bar.update({ step: 'messages' });
    await db.raw(
      `INSERT INTO messages (room_id, author_id, client_id, body, created_at)
       SELECT s.room_id, rm.user_id, gen_random_uuid(), (?::text[])[1 + (g::bigint * 31) % ?], now() - ((? - g) * interval '5 seconds')
       FROM generate_series(?::int, ?::int) g
       JOIN bench_room_slots s ON s.slot = g % 100
       JOIN bench_room_members rm ON rm.room_id = s.room_id AND rm.k = 1 + (g::bigint * 7919) % s.n
       ORDER BY g`,
      [SENTENCES, SENTENCES.length, profile.messages, from, to],
    );
    bar.increment(to - from + 1);
  }

  bar.update({ step: 'noticeboard posts' });
  const threadsPerBoard = Math.max(1, Math.floor(profile.posts / noticeboards.length / 10));
  const repliesPerThread = Math.max(0, Math.floor(profile.posts / noticeboards.length / threadsPerBoard) - 1);
  for (const roomId of noticeboards) {
    const n = (
      await db.raw(
        'SELECT count(*)::int AS n FROM room_audiences ra JOIN memberships m ON m.cohort_id = ra.cohort_id WHERE ra.room_id = ?',
        [roomId],
      )
    ).rows[0].n as number;
    await db.raw(`CREATE TEMP TABLE IF NOT EXISTS bench_board_members (k int, user_id uuid)`);
    await db.raw('TRUNCATE bench_board_members');
    await db.raw(
      `INSERT INTO bench_board_members SELECT row_number() OVER (ORDER BY m.user_id), m.user_id FROM room_audiences ra JOIN memberships m ON m.cohort_id = ra.cohort_id WHERE ra.room_id = ?`,
      [roomId],
    );
    await db.raw(
      `INSERT INTO threads (room_id, author_id, title, body, reply_count, created_at, last_activity_at)
       SELECT ?, bm.user_id, 'Thread ' || g || ': ' || left((?::text[])[1 + g % ?], 60), (?::text[])[1 + (g * 7) % ?], ?, now() - g * interval '1 hour', now() - g * interval '1 hour' + interval '30 minutes'
       FROM generate_series(1, ?) g JOIN bench_board_members bm ON bm.k = 1 + (g * 131) % ?`,
      [roomId, SENTENCES, SENTENCES.length, SENTENCES, SENTENCES.length, repliesPerThread, threadsPerBoard, n],
    );
    await db.raw(
      `INSERT INTO replies (thread_id, author_id, body, created_at)
       SELECT t.id, bm.user_id, (?::text[])[1 + (g * 3) % ?], t.created_at + g * interval '2 minutes'
       FROM threads t CROSS JOIN generate_series(1, ?) g
       JOIN bench_board_members bm ON bm.k = 1 + (abs(hashtext(t.id::text)) + g * 17) % ?
       WHERE t.room_id = ?`,
      [SENTENCES, SENTENCES.length, repliesPerThread, n, roomId],
    );
    bar.increment(threadsPerBoard * (repliesPerThread + 1));
  }

  bar.update({ step: 'library items' });
  const perLibrary = Math.floor(profile.libraryItems / libraries.length);
  for (const roomId of libraries) {
    await db.raw(
      `INSERT INTO library_items (room_id, title, summary, body_md, body_text, source, reviewed_on, next_review_on, status, published_at)
       SELECT ?, 'Guide ' || g || ': ' || left((?::text[])[1 + g % ?], 50), (?::text[])[1 + (g * 5) % ?],
              '## About this guide' || E'\\n\\n' || repeat((?::text[])[1 + g % ?] || ' ', 20), repeat((?::text[])[1 + g % ?] || ' ', 20),
              'NHS', current_date, current_date + 365, 'published', now()
       FROM generate_series(1, ?) g`,
      [
        roomId,
        SENTENCES,
        SENTENCES.length,
        SENTENCES,
        SENTENCES.length,
        SENTENCES,
        SENTENCES.length,
        SENTENCES,
        SENTENCES.length,
        perLibrary,
      ],
    );
    bar.increment(perLibrary);
  }

  bar.update({ step: 'ANALYZE' });
  await db.raw('ANALYZE');
  await db.schema.createTable(DATASET_MARK, (t) => {
    t.string('profile').notNullable();
    t.string('history_room_id').notNullable();
  });
  await db(DATASET_MARK).insert({ profile: profile.name, history_room_id: historyRoomId });
  bar.stop();
}

/** Rooms and their possible members, read back from a generated database. */
export async function loadFixtures(db: Db): Promise<Fixtures> {
  const mark = await db(DATASET_MARK).first('history_room_id');
  const rows = await db('rooms as r')
    .join('subnets as s', 's.id', 'r.subnet_id')
    .where('s.slug', 'like', 'bench-%')
    .andWhere('r.kind', 'living_room')
    .orderBy([{ column: 's.slug' }, { column: 'r.name' }])
    .select(
      'r.id',
      db.raw(
        `(SELECT array_agg(m.user_id ORDER BY m.user_id) FROM room_audiences ra JOIN memberships m ON m.cohort_id = ra.cohort_id WHERE ra.room_id = r.id) AS member_ids`,
      ),
    );
  const roomOf = async (kind: string, bench: boolean) => {
    const row = await db('rooms as r')
      .join('subnets as s', 's.id', 'r.subnet_id')
      .join('room_audiences as ra', 'ra.room_id', 'r.id')
      .join('memberships as m', 'm.cohort_id', 'ra.cohort_id')
      .join('users as u', 'u.id', 'm.user_id')
      .where('r.kind', kind)
      .andWhere('u.role', 'patient')
      .andWhere('s.slug', bench ? 'like' : 'not like', 'bench-%')
      .orderBy([{ column: 's.slug' }, { column: 'r.id' }, { column: 'u.id' }])
      .first('r.id', 'u.id as member_id');
    if (!row) throw new Error(`no ${kind} with a member in the ${bench ? 'generated' : 'demo'} building`);
    return { id: row.id as string, memberId: row.member_id as string };
  };
  return {
    livingRooms: rows.map((r: { id: string; member_ids: string[] }) => ({ id: r.id, memberIds: r.member_ids })),
    historyRoomId: mark.history_room_id,
    otherRooms: {
      noticeboard: await roomOf('noticeboard', true),
      library: await roomOf('library', true),
      television: await roomOf('television', false),
    },
  };
}
