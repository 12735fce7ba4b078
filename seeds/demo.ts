import type { Knex } from 'knex';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword } from '../src/auth/passwords.js';
import { nicknameSkeleton } from '../src/auth/nickname-skeleton.js';
import { markdownText } from '../src/library/markdown.js';
import { DEMO_ITEMS, DEMO_VIDEO } from './library-content.js';
import { seedActivity } from './activity/index.js';
import type { Role, RoomKind } from '../src/policy/index.js';

/**
 * Demo data from SHaRON's own story: the services, their groups and rooms, and six accounts.
 * Idempotent (finds before it inserts). Refuses to run in production.
 */

/** The demo staff's TOTP key (README): add it to an authenticator app to sign in as admin, clinician or peermod. */
export const DEMO_TOTP_SECRET = 'SHARONDEMOSTAFFTWOFACTORKEYABCDE';

// A service's own crisis contacts are shown after the UK numbers, which every page shows first (src/safety/crisis-contacts.ts).
// Demo numbers are from Ofcom's range kept for drama (0161 496 0000 to 0999): they ring nobody.
const ED_CRISIS = 'Eating Disorders duty team (Monday to Friday, 9am to 5pm): 0161 496 0123';

type RoomSpec = [kind: RoomKind, name: string, description: string, audience: string[] | 'all'];

// Alert phrases of the demo Eating Disorders service's own (delivered, staff alerted, sender supported).
// Every subnet already alerts on suicide and self-harm and holds contact details: the safety
// baseline in src/moderation/watched-words.ts, not demo data.
const ED_ALERT_PHRASES = ['purging again'];
interface SubnetSpec {
  slug: string;
  name: string;
  description: string;
  hours: string;
  /** The service's own crisis contacts (optional). */
  crisis?: string;
  cohorts: [slug: string, name: string][];
  rooms: RoomSpec[];
}

const SUBNETS: SubnetSpec[] = [
  {
    slug: 'eating-disorders',
    name: 'Eating Disorders',
    hours: 'Monday to Friday, 9am to 5pm',
    crisis: ED_CRISIS,
    description: 'Support for people in treatment for an eating disorder, and for people who have recovered.',
    cohorts: [
      ['anorexia', 'Anorexia'],
      ['bulimia', 'Bulimia'],
      ['binge-eating', 'Binge eating'],
      ['recovered', 'Recovered'],
    ],
    rooms: [
      [
        'living_room',
        'Anorexia living room',
        'Talk live with others in treatment for anorexia, people who have recovered and the team.',
        ['anorexia'],
      ],
      [
        'living_room',
        'Bulimia living room',
        'Talk live with others in treatment for bulimia, people who have recovered and the team.',
        ['bulimia'],
      ],
      [
        'living_room',
        'Binge eating living room',
        'Talk live with others in treatment for binge eating disorder and the team.',
        ['binge-eating'],
      ],
      [
        'living_room',
        'Recovered members room',
        'For people who have recovered: stay in touch, and help others later as a peer.',
        ['recovered'],
      ],
      ['library', 'Eating disorders library', 'Accredited reading about eating disorders and recovery.', 'all'],
      ['television', 'Eating disorders television', 'Self-help videos chosen by the team.', 'all'],
      ['noticeboard', 'Eating disorders noticeboard', 'Ask a question; peer moderators and clinicians reply.', 'all'],
      [
        'noticeboard',
        'Anorexia noticeboard',
        'Questions and support for people in treatment for anorexia.',
        ['anorexia'],
      ],
    ],
  },
  {
    slug: 'ed-carers',
    name: 'Eating Disorders Carers',
    hours: 'Monday to Friday, 9am to 5pm',
    description: 'For parents, partners and friends caring for someone with an eating disorder.',
    cohorts: [['carers', 'Carers']],
    rooms: [
      ['living_room', 'Carers living room', 'Talk live with other carers.', 'all'],
      ['library', 'Carers library', 'Reading for carers.', 'all'],
      ['noticeboard', 'Carers noticeboard', 'Questions and answers for carers.', 'all'],
    ],
  },
  {
    slug: 'perinatal',
    name: 'Perinatal',
    hours: 'Monday to Friday, 9am to 5pm',
    description: 'Support for mothers and birthing parents during pregnancy and the first year.',
    cohorts: [['parents', 'Parents']],
    rooms: [
      ['living_room', 'Perinatal living room', 'Talk live with other parents.', 'all'],
      ['library', 'Perinatal library', 'Accredited reading for the perinatal period.', 'all'],
    ],
  },
  {
    slug: 'camhs',
    name: 'CAMHS',
    hours: 'Monday to Friday, 9am to 5pm',
    description: 'Child and adolescent mental health services.',
    cohorts: [
      ['young-people', 'Young people'],
      ['parents', 'Parents'],
    ],
    rooms: [
      ['living_room', 'Young people living room', 'Talk live with other young people.', ['young-people']],
      ['living_room', 'Parents living room', 'Talk live with other parents.', ['parents']],
      ['library', 'CAMHS library', 'Reading for young people and families.', 'all'],
    ],
  },
  {
    slug: 'first-step',
    name: 'First Step',
    hours: 'Monday to Friday, 9am to 5pm',
    description: 'For people waiting for a first appointment: what to expect, and support while you wait.',
    cohorts: [['waiting', 'Waiting for a first appointment']],
    rooms: [
      ['library', 'First Step library', 'What to expect from the service, and about your condition.', 'all'],
      ['television', 'First Step television', 'Short videos about the service.', 'all'],
      ['noticeboard', 'First Step noticeboard', 'Ask the team a question while you wait.', 'all'],
    ],
  },
  {
    slug: 'veterans-trauma',
    name: 'Veterans Trauma',
    hours: 'Monday to Friday, 9am to 5pm',
    description: 'Support for veterans living with trauma.',
    cohorts: [['veterans', 'Veterans']],
    rooms: [
      ['living_room', 'Veterans living room', 'Talk live with other veterans.', 'all'],
      ['library', 'Veterans library', 'Reading about trauma and recovery.', 'all'],
    ],
  },
  {
    slug: 'asperger-families',
    name: 'Asperger Families',
    hours: 'Monday to Friday, 9am to 5pm',
    description: 'For families of people with Asperger syndrome.',
    cohorts: [['families', 'Families']],
    rooms: [
      ['living_room', 'Families living room', 'Talk live with other families.', 'all'],
      ['noticeboard', 'Families noticeboard', 'Questions and answers.', 'all'],
    ],
  },
  {
    slug: 'camhs-schools-training',
    name: 'CAMHS Schools Training',
    hours: 'Term time, Monday to Friday, 9am to 4pm',
    description: 'Training shared by CAMHS with schools, social care and the police.',
    cohorts: [
      ['teachers', 'Teachers'],
      ['social-workers', 'Social workers'],
      ['police', 'Police'],
    ],
    rooms: [
      ['library', 'Training library', 'Training material for professionals who work with young people.', 'all'],
      ['noticeboard', 'Training noticeboard', 'Questions for the CAMHS team.', 'all'],
    ],
  },
];

interface UserSpec {
  username: string;
  nickname: string;
  displayName: string | null;
  role: Role;
  memberships: [subnetSlug: string, cohortSlug: string | null, privateReference: string | null][];
}

const USERS: UserSpec[] = [
  { username: 'admin', nickname: 'Site keeper', displayName: 'Alex Admin', role: 'admin', memberships: [] },
  {
    username: 'clinician',
    nickname: 'Dr Rowan',
    displayName: 'Dr Rowan Price',
    role: 'clinician',
    memberships: [
      ['eating-disorders', null, null],
      ['first-step', null, null],
    ],
  },
  {
    username: 'peermod',
    nickname: 'Sam',
    displayName: 'Sam (peer support)',
    role: 'peer_moderator',
    memberships: [['eating-disorders', null, null]],
  },
  {
    username: 'anna',
    nickname: 'Willow',
    displayName: null,
    role: 'patient',
    memberships: [['eating-disorders', 'anorexia', 'Demo record ED-0001']],
  },
  {
    username: 'bella',
    nickname: 'Juniper',
    displayName: null,
    role: 'patient',
    memberships: [['eating-disorders', 'bulimia', 'Demo record ED-0002']],
  },
  {
    username: 'carer',
    nickname: 'Hazel',
    displayName: null,
    role: 'carer',
    memberships: [['ed-carers', 'carers', 'Demo record EDC-0001']],
  },
];

async function ensure(
  trx: Knex.Transaction,
  table: string,
  where: Record<string, unknown>,
  insert: Record<string, unknown>,
): Promise<string> {
  const found = await trx(table).where(where).first('id');
  if (found) return found.id;
  const [row] = await trx(table)
    .insert({ ...where, ...insert })
    .returning('id');
  return row.id;
}

async function watch(
  trx: Knex.Transaction,
  subnetId: string,
  roomId: string | null,
  kind: string,
  pattern: string,
  action: string,
): Promise<void> {
  const found = await trx('watched_words').where({ subnet_id: subnetId, room_id: roomId, kind, pattern }).first('id');
  if (!found) await trx('watched_words').insert({ subnet_id: subnetId, room_id: roomId, kind, pattern, action });
}

const MEDIA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'media');
const dateOffset = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function seedLibrary(trx: Knex.Transaction, clinicianId: string): Promise<void> {
  for (const item of DEMO_ITEMS) {
    const room = await trx('rooms as r')
      .join('subnets as s', 's.id', 'r.subnet_id')
      .where({ 's.slug': item.subnet, 'r.name': item.room })
      .first('r.id');
    if (!room || (await trx('library_items').where({ room_id: room.id, title: item.title }).first('id'))) continue;
    await trx('library_items').insert({
      room_id: room.id,
      title: item.title,
      summary: item.summary,
      body_md: item.body,
      body_text: markdownText(item.body),
      source: item.source,
      reviewed_by: clinicianId,
      reviewed_on: dateOffset(-item.reviewedDaysAgo),
      next_review_on: dateOffset(item.nextReviewInDays),
      status: 'published',
      published_at: trx.fn.now(),
      created_by: clinicianId,
    });
  }
}

async function seedVideo(trx: Knex.Transaction, clinicianId: string, uploadDir: string): Promise<void> {
  const room = await trx('rooms as r')
    .join('subnets as s', 's.id', 'r.subnet_id')
    .where({ 's.slug': DEMO_VIDEO.subnet, 'r.name': DEMO_VIDEO.room })
    .first('r.id');
  if (!room || (await trx('videos').where({ room_id: room.id, title: DEMO_VIDEO.title }).first('id'))) return;
  await mkdir(uploadDir, { recursive: true, mode: 0o700 });
  const ids: Record<string, string> = {};
  for (const [field, f] of Object.entries(DEMO_VIDEO.files)) {
    const target = path.join(uploadDir, f.storage);
    await copyFile(path.join(MEDIA_DIR, f.file), target);
    const { size } = await stat(target);
    ids[field] = await ensure(
      trx,
      'files',
      { storage_name: f.storage },
      { original_name: f.file, mime: f.mime, size, created_by: clinicianId },
    );
  }
  await trx('videos').insert({
    room_id: room.id,
    title: DEMO_VIDEO.title,
    description: DEMO_VIDEO.description,
    transcript: DEMO_VIDEO.transcript,
    video_file_id: ids.video,
    poster_file_id: ids.poster,
    captions_file_id: ids.captions,
    status: 'published',
    published_at: trx.fn.now(),
    created_by: clinicianId,
  });
}

/** Creates whatever part of the demo data is missing (demo media is copied into uploadDir). */
export async function seedDemo(
  db: Knex,
  demoPassword: string,
  env = process.env.NODE_ENV,
  uploadDir = '.data/uploads',
): Promise<void> {
  if (env === 'production') throw new Error('The demo seed refuses to run with NODE_ENV=production.');
  const passwordHash = await hashPassword(demoPassword);
  await db.transaction(async (trx) => {
    const cohortIds = new Map<string, string>();
    const subnetIds = new Map<string, string>();
    for (const s of SUBNETS) {
      const subnetId = await ensure(
        trx,
        'subnets',
        { slug: s.slug },
        { name: s.name, description: s.description, crisis_contacts: s.crisis ?? '', service_hours: s.hours },
      );
      subnetIds.set(s.slug, subnetId);
      for (const [slug, name] of s.cohorts)
        cohortIds.set(`${s.slug}/${slug}`, await ensure(trx, 'cohorts', { subnet_id: subnetId, slug }, { name }));
      for (const [kind, name, description, audience] of s.rooms) {
        const existing = await trx('rooms').where({ subnet_id: subnetId, name }).first('id');
        if (existing) continue;
        const roomId = await ensure(trx, 'rooms', { subnet_id: subnetId, name }, { kind, description });
        const slugs = audience === 'all' ? s.cohorts.map(([c]) => c) : audience;
        await trx('room_audiences').insert(
          slugs.map((c) => ({ room_id: roomId, subnet_id: subnetId, cohort_id: cohortIds.get(`${s.slug}/${c}`) })),
        );
        // Eating-disorder living rooms hold numbers about weight, calories, BMI and sizes.
        if (s.slug === 'eating-disorders' && kind === 'living_room')
          await watch(trx, subnetId, roomId, 'builtin', 'numbers', 'hold');
      }
      if (s.slug === 'eating-disorders')
        for (const phrase of ED_ALERT_PHRASES) await watch(trx, subnetId, null, 'phrase', phrase, 'alert');
    }
    for (const u of USERS) {
      const staff = u.role === 'admin' || u.role === 'clinician' || u.role === 'peer_moderator';
      const userId = await ensure(
        trx,
        'users',
        { username: u.username },
        {
          nickname: u.nickname,
          nickname_skeleton: nicknameSkeleton(u.nickname),
          display_name: u.displayName,
          role: u.role,
          password_hash: passwordHash,
          ...(staff ? { totp_secret: DEMO_TOTP_SECRET, totp_enabled_at: trx.fn.now() } : {}),
        },
      );
      for (const [subnetSlug, cohortSlug, reference] of u.memberships) {
        const subnetId = subnetIds.get(subnetSlug);
        await trx('memberships')
          .insert({
            user_id: userId,
            subnet_id: subnetId,
            cohort_id: cohortSlug ? cohortIds.get(`${subnetSlug}/${cohortSlug}`) : null,
            private_reference: reference,
          })
          .onConflict(['user_id', 'subnet_id'])
          .ignore();
      }
    }
    const clinician = await trx('users').where({ username: 'clinician' }).first('id');
    await seedLibrary(trx, clinician.id);
    await seedVideo(trx, clinician.id, uploadDir);
  });
}

/**
 * Seeds the demo data when the database has no accounts yet, and then (unless `activity` is false,
 * DEMO_ACTIVITY=off) twelve weeks of generated activity ending now (seeds/activity). Returns
 * whether it seeded; a database with accounts is left alone at once, so later starts cost one count.
 */
export async function seedDemoIfEmpty(
  db: Knex,
  demoPassword: string,
  uploadDir: string,
  options: { activity?: boolean } = {},
): Promise<boolean> {
  const row = await db('users').count<{ count: number }[]>('* as count').first();
  if (Number(row?.count ?? 0) > 0) return false;
  await seedDemo(db, demoPassword, process.env.NODE_ENV, uploadDir);
  if (options.activity ?? true) await seedActivity(db);
  return true;
}
