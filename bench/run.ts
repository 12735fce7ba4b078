/**
 * `npm run bench [-- --quick] [-- --only=pages,chat]`: SHaRON's benchmark suite. Starts its own PostgreSQL
 * under bench/.data/<profile>, generates (once) a realistic data set, then measures pages, chat,
 * memory per socket, history paging, start-up and a burst of sign-ins, and writes bench/results/latest.json and
 * latest.md with each figure against its target. See docs/benchmarks.md.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { createDb, type Db } from '../src/db/knex.js';
import { MAINTENANCE_TIMEOUTS } from '../src/db/connection.js';
import { migrateLatest } from '../src/db/migrate.js';
import { seedDemoIfEmpty } from '../seeds/demo.js';
import { firstStartPhase } from './first-start.js';
import { PROFILES } from './profiles.js';
import { datasetIn, generateDataset, loadFixtures, type Fixtures } from './dataset.js';
import { mintSessions } from './sessions.js';
import {
  cpuSecondsOf,
  freePort,
  median,
  must,
  postgresCpu,
  postgresCpuSince,
  postmasterOf,
  round,
  rssOf,
  startProcess,
  stopProcess,
  type Started,
} from './processes.js';
import { measurePages, type PageResult } from './pages.js';
import { chatLoad, closeAll, connectAll, historyLatency, joinRooms, type LoadResult } from './chat.js';
import { judge, toMarkdown, type Results } from './report.js';
import { signInBurst } from './signins.js';
import { hashPassword } from '../src/auth/passwords.js';
import { runCommand } from '../src/cli/run-command.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const profile = PROFILES[args.has('--quick') ? 'quick' : 'full'];
const dataDir = path.join(ROOT, 'bench', '.data', profile.name);
const say = (s: string) => process.stdout.write(`${s}\n`);
// BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each app process (open it in Chrome DevTools).
const NODE_TSX = [
  process.execPath,
  [
    '--import',
    'tsx',
    ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
  ],
] as const;
// --only=pages,chat,history,memory,startup,signins runs some phases (while working on one); the report needs all.
const PHASES = ['startup', 'pages', 'chat', 'history', 'memory', 'signins'];
const only = new Set(
  [...args]
    .find((a) => a.startsWith('--only='))
    ?.slice(7)
    .split(',') ?? PHASES,
);
const IDLE_MS = 8 * 60 * 60_000;

interface Context {
  db: Db;
  pgUrl: string;
  /** The benchmark's PostgreSQL server: its CPU (and its backends') is what the figures count. */
  postmaster: number;
  fixtures: Fixtures;
  /** Sessions for these members; cookies in the same order. */
  cookiesFor(userIds: string[]): Promise<string[]>;
  startApp(extraEnv?: NodeJS.ProcessEnv): Promise<Started & { base: string }>;
  started: Started[];
}

async function main(): Promise<void> {
  say(
    `SHaRON benchmark (${profile.name}) on ${os.cpus().length} cores, Node ${process.version}; data in ${path.relative(ROOT, dataDir)}`,
  );
  const pgPort = await freePort();
  const uploadDir = path.join(dataDir, 'uploads');

  // The data set: the demo building (as `npm start` creates it) plus the generated one.
  let pg = await startEmbeddedPostgres({ dataDir, port: pgPort, database: 'sharon' });
  let db = createDb(pg.url, 4, MAINTENANCE_TIMEOUTS);
  let counts: Record<string, number>;
  try {
    await migrateLatest(db);
    // The demo people only: the generated data set below is the bench's (the demo's activity is measured by firstStartPhase).
    await seedDemoIfEmpty(db, 'hope-and-recovery', uploadDir, { activity: false });
    const present = await datasetIn(db);
    if (present && present !== profile.name) throw new Error(`${dataDir} holds the ${present} data set`);
    // One transaction: all or nothing, and one connection for the generator's temporary tables.
    if (!present) await db.transaction((trx) => generateDataset(trx, profile));
    else say('data set: already generated (delete bench/.data to regenerate)');
    counts = await tableCounts(db);
    say(
      `data set: ${Object.entries(counts)
        .map(([k, v]) => `${v.toLocaleString('en-GB')} ${k}`)
        .join(', ')}`,
    );
  } finally {
    await db.destroy();
    await pg.stop();
  }

  const results: Partial<Results> = {
    profile: profile.name,
    at: new Date().toISOString(),
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
    },
    dataset: counts,
  };
  if (only.has('startup')) results.startupSeconds = await startupPhase(uploadDir);
  if (only.has('startup')) results.firstStart = await firstStartPhase(say);

  // Everything else runs against one PostgreSQL; the app as deployed (NODE_ENV=production).
  pg = await startEmbeddedPostgres({ dataDir, port: pgPort, database: 'sharon' });
  db = createDb(pg.url, 4, MAINTENANCE_TIMEOUTS);
  const secret = randomBytes(32).toString('base64url');
  const cookieName = '__Host-sharon';
  const started: Started[] = [];
  const pgUrl = pg.url;
  const ctx: Context = {
    db,
    pgUrl,
    postmaster: await postmasterOf(path.join(dataDir, 'pg')),
    started,
    fixtures: await loadFixtures(db),
    cookiesFor: (ids) => mintSessions(db, ids, { secret, cookieName, idleMs: IDLE_MS }),
    async startApp(extraEnv = {}) {
      const port = await freePort();
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: pgUrl,
        SESSION_SECRET: secret,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
        UPLOAD_DIR: uploadDir,
        LOG_LEVEL: 'warn',
        SESSION_IDLE_MINUTES: String(IDLE_MS / 60_000),
        // Senders in the ceiling test post many times a minute; the flood limit is not under test.
        CHAT_FLOOD_MESSAGES: '1000',
        CHAT_FLOOD_SECONDS: '10',
        ...extraEnv,
      };
      const p = await startProcess(NODE_TSX[0], [...NODE_TSX[1], 'src/server.ts'], {
        env,
        readyUrl: `http://127.0.0.1:${port}/healthz`,
      });
      started.push(p);
      return { ...p, base: `http://127.0.0.1:${port}` };
    },
  };
  try {
    if (only.has('pages')) results.pages = await pagesPhase(ctx, { secret, cookieName });
    if (only.has('chat') || only.has('history')) Object.assign(results, await chatPhase(ctx));
    if (only.has('memory')) results.memory = await memoryPhase(ctx);
    if (only.has('signins')) results.signIns = await signInsPhase(ctx);
  } finally {
    for (const p of started) await stopProcess(p);
    await db('session')
      .whereRaw("sess->>'device' = 'Benchmark client'")
      .delete()
      .catch(() => undefined);
    await db.destroy();
    await pg.stop();
  }

  const complete =
    results.startupSeconds &&
    results.firstStart &&
    results.pages &&
    results.chat &&
    results.history &&
    results.memory &&
    results.signIns;
  const dir = path.join(ROOT, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  if (!complete) {
    await writeFile(path.join(dir, 'partial.json'), `${JSON.stringify(results, null, 2)}\n`);
    say('partial run (--only): written bench/results/partial.json');
    return;
  }
  const full = results as Results;
  full.targets = judge(full);
  const md = toMarkdown(full);
  await writeFile(path.join(dir, 'latest.json'), `${JSON.stringify(full, null, 2)}\n`);
  await writeFile(path.join(dir, 'latest.md'), md);
  await writeFile(
    path.join(dir, `${profile.name}-${full.at.replace(/[:.]/g, '-')}.json`),
    `${JSON.stringify(full, null, 2)}\n`,
  );
  say(`\n${md}`);
  say('written: bench/results/latest.json, bench/results/latest.md');
}

/** `npm start` on the existing data directory, to a 200 on /healthz. */
async function startupPhase(uploadDir: string): Promise<Results['startupSeconds']> {
  const runs: number[] = [];
  for (let i = 0; i < profile.startupRuns; i++) {
    const port = await freePort();
    const app = await startProcess('npm', ['start'], {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATA_DIR: dataDir,
        UPLOAD_DIR: uploadDir,
        PORT: String(port),
        EMBEDDED_PG_PORT: String(await freePort()),
        LOG_LEVEL: 'warn',
      },
      readyUrl: `http://127.0.0.1:${port}/healthz`,
    });
    runs.push(round(app.readyMs / 1000, 2));
    await stopProcess(app);
    await postgresStopped();
  }
  say(`start-up: ${runs.map((s) => `${s} s`).join(', ')}`);
  return { runs, median: round(median(runs), 2) };
}

/**
 * The app's embedded PostgreSQL got SIGTERM with its process group and may still be shutting down
 * after `npm start` has exited: wait until it has let go of the data directory.
 */
async function postgresStopped(): Promise<void> {
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  const end = Date.now() + 60_000;
  while (existsSync(pidFile)) {
    if (Date.now() > end) throw new Error(`PostgreSQL still holds ${pidFile}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Our lobby and the four room pages as signed-in members, and the two floors, with autocannon. The
 * app and both floors run side by side (each idle while another is loaded), so that every round
 * gives each page and floor one run in turn (`measurePages`).
 */
async function pagesPhase(ctx: Context, session: { secret: string; cookieName: string }): Promise<Results['pages']> {
  say('pages (autocannon; each round runs every page and floor once, in turn)');
  const app = await ctx.startApp();
  const pageRoom = must(ctx.fixtures.livingRooms[1], 'a living room');
  const { noticeboard, library, television } = ctx.fixtures.otherRooms;
  const [cookie, boardCookie, libraryCookie, tvCookie] = (await ctx.cookiesFor([
    must(pageRoom.memberIds[0], 'a member'),
    noticeboard.memberId,
    library.memberId,
    television.memberId,
  ])) as [string, string, string, string];
  const roomUrl = (id: string) => `${app.base}/rooms/${id}`;
  // The second floor renders a page of the living-room page's size.
  const living = await fetch(roomUrl(pageRoom.id), { headers: { cookie }, redirect: 'manual' });
  const livingBytes = (await living.arrayBuffer()).byteLength;
  const floor = async (script: string) => {
    const port = await freePort();
    const env = {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: ctx.pgUrl,
      SESSION_SECRET: session.secret,
      COOKIE_NAME: session.cookieName,
      FLOOR_PAGE_BYTES: String(livingBytes),
    };
    const p = await startProcess(NODE_TSX[0], [...NODE_TSX[1], script], {
      env,
      readyUrl: `http://127.0.0.1:${port}/ping`,
    });
    ctx.started.push(p);
    return { ...p, url: `http://127.0.0.1:${port}/` };
  };
  const hello = await floor('bench/floors/hello.ts');
  const sessionPage = await floor('bench/floors/session-page.ts');
  const own = { serverPid: app.pid, postmaster: ctx.postmaster };
  const [livingRoom, libraryPage, televisionPage, noticeboardPage, lobby, helloWorld, sessionSelectEjs] =
    (await measurePages(
      [
        { name: 'living-room page', url: roomUrl(pageRoom.id), cookie, ...own },
        { name: 'library page', url: roomUrl(library.id), cookie: libraryCookie, ...own },
        { name: 'television page', url: roomUrl(television.id), cookie: tvCookie, ...own },
        { name: 'noticeboard page', url: roomUrl(noticeboard.id), cookie: boardCookie, ...own },
        { name: 'lobby', url: `${app.base}/`, cookie, ...own },
        { name: 'floor: Express hello-world', url: hello.url, serverPid: hello.pid },
        {
          name: 'floor: session + SELECT + EJS',
          url: sessionPage.url,
          cookie,
          serverPid: sessionPage.pid,
          postmaster: ctx.postmaster,
        },
      ],
      profile,
    )) as [PageResult, PageResult, PageResult, PageResult, PageResult, PageResult, PageResult];
  for (const p of [app, hello, sessionPage]) await stopProcess(p);
  return {
    helloWorld,
    sessionSelectEjs,
    lobby,
    livingRoom,
    library: libraryPage,
    television: televisionPage,
    noticeboard: noticeboardPage,
  };
}

/** Sockets over living rooms: one message a second per room, then the ceiling; then history paging. */
async function chatPhase(ctx: Context): Promise<Pick<Results, 'chat' | 'history'>> {
  const { db, fixtures } = ctx;
  say(`chat: ${profile.chat.sockets} sockets over ${profile.chat.rooms} living rooms`);
  const app = await ctx.startApp();
  const perRoom = Math.floor(profile.chat.sockets / profile.chat.rooms);
  const used = new Set<string>();
  const groups = fixtures.livingRooms.slice(0, profile.chat.rooms).map((r) => {
    const ids = r.memberIds.filter((id) => !used.has(id)).slice(0, perRoom);
    ids.forEach((id) => used.add(id));
    if (ids.length < perRoom) throw new Error('not enough members for the chat benchmark');
    return { roomId: r.id, ids };
  });
  const sockets = await connectAll(app.base, app.base, await ctx.cookiesFor(groups.flatMap((g) => g.ids)));
  await joinRooms(
    sockets,
    groups.flatMap((g) => g.ids.map(() => g.roomId)),
  );
  const socketGroups = groups.map((g, i) => ({
    roomId: g.roomId,
    sockets: sockets.slice(i * perRoom, (i + 1) * perRoom),
  }));
  // Each step also records where the CPU went: the app, PostgreSQL, and this load generator.
  const load = async (rate: number, seconds: number): Promise<LoadResult> => {
    const before = { app: await cpuSecondsOf(app.pid), pg: await postgresCpu(ctx.postmaster), us: process.cpuUsage() };
    const r = await chatLoad(socketGroups, rate, seconds);
    const us = process.cpuUsage(before.us);
    const per = (s: number) => round((s * 1000) / Math.max(1, r.acked), 3);
    r.cpuMsPerMessage = {
      app: per((await cpuSecondsOf(app.pid)) - before.app),
      postgres: per(postgresCpuSince(before.pg, await postgresCpu(ctx.postmaster))),
      loadGenerator: per((us.user + us.system) / 1e6),
    };
    return r;
  };
  await load(profile.chat.rooms, 2); // warm-up
  const steady = await load(profile.chat.rooms, profile.chat.seconds);
  say(
    `  ${profile.chat.rooms} msg/s: delivery p50 ${steady.deliveryMs.p50} ms, p95 ${steady.deliveryMs.p95} ms, p99 ${steady.deliveryMs.p99} ms; ${steady.deliveries}/${steady.expectedDeliveries} delivered`,
  );
  const steps: LoadResult[] = [];
  for (const rate of profile.chat.ceilingSteps) {
    await new Promise((r) => setTimeout(r, 1500));
    const step = await load(rate, profile.chat.ceilingSeconds);
    steps.push(step);
    say(
      `  ceiling step ${rate} msg/s: achieved ${step.persistedPerSecond} persisted/s, delivery p99 ${step.deliveryMs.p99} ms, refused ${JSON.stringify(step.refused)}, CPU ms per message ${JSON.stringify(step.cpuMsPerMessage)}`,
    );
    if (!sustained(step)) break;
  }
  closeAll(sockets);

  say('history');
  const historyRoom = must(
    fixtures.livingRooms.find((r) => r.id === fixtures.historyRoomId),
    'the history room',
  );
  const ids = await db('messages')
    .where({ room_id: historyRoom.id })
    .select(db.raw('min(id)::bigint AS min, max(id)::bigint AS max'))
    .first();
  const roomMessages = Number(
    (await db('messages').where({ room_id: historyRoom.id }).count('* as n').first())?.n ?? 0,
  );
  // A socket may send 100 events in 10 s (flood guard): readers take turns, 60 pages each.
  const readerIds = historyRoom.memberIds.slice(-Math.ceil(profile.historySamples / 60));
  const readers = await connectAll(app.base, app.base, await ctx.cookiesFor(readerIds));
  await joinRooms(
    readers,
    readers.map(() => historyRoom.id),
  );
  const history = {
    roomMessages,
    ...(await historyLatency(
      readers,
      historyRoom.id,
      { min: Number(ids.min), max: Number(ids.max) },
      profile.historySamples,
    )),
  };
  say(`  ${roomMessages} messages: p50 ${history.p50} ms, p99 ${history.p99} ms`);
  closeAll(readers);
  await stopProcess(app);
  // The data set stays as generated: the messages this phase sent are removed again.
  await db('messages').where('body', 'like', 'bench % checking in').delete();
  const best = steps.filter(sustained).at(-1);
  return {
    chat: {
      sockets: sockets.length,
      rooms: socketGroups.length,
      steady,
      ceiling: { steps, sustainedPersistedPerSecond: best?.persistedPerSecond ?? 0 },
    },
    history,
  };
}

/** A fresh process, then N idle authenticated sockets: RSS delta / N. */
async function memoryPhase(ctx: Context): Promise<Results['memory']> {
  say(`memory: ${profile.idleSockets} idle sockets`);
  const app = await ctx.startApp();
  const ids = [...new Set(ctx.fixtures.livingRooms.flatMap((r) => r.memberIds))].slice(0, profile.idleSockets);
  const cookies = await ctx.cookiesFor(ids);
  closeAll(await connectAll(app.base, app.base, cookies.slice(0, 100))); // warm-up
  await new Promise((r) => setTimeout(r, 3000));
  const before = await rssOf(app.pid);
  const idle = await connectAll(app.base, app.base, cookies);
  await new Promise((r) => setTimeout(r, 5000));
  const after = await rssOf(app.pid);
  closeAll(idle);
  await stopProcess(app);
  const bytesPerSocket = Math.round((after - before) / idle.length);
  say(`  ${round(bytesPerSocket / 1024, 1)} KB per idle socket`);
  return {
    sockets: idle.length,
    rssBeforeMiB: round(before / 2 ** 20, 1),
    rssAfterMiB: round(after / 2 ** 20, 1),
    bytesPerSocket,
  };
}

/**
 * Sign-ins posted at once with 128-character passwords (members given that password for the
 * phase, then their own back), while an unrelated GET /login is timed one request after another.
 */
async function signInsPhase(ctx: Context): Promise<Results['signIns']> {
  say(`sign-ins: ${profile.signInBurst} at once, 128-character passwords`);
  const ids = [...new Set(ctx.fixtures.livingRooms.flatMap((r) => r.memberIds))].slice(0, profile.signInBurst);
  const members = await ctx
    .db('users')
    .whereIn('id', ids)
    .select<{ id: string; username: string; password_hash: string }[]>('id', 'username', 'password_hash');
  const password = randomBytes(96).toString('base64url'); // 128 characters
  await ctx
    .db('users')
    .whereIn('id', ids)
    .update({ password_hash: await hashPassword(password) });
  // Behind a TLS proxy, as deployed: the secure session cookie (the login form's CSRF token) is set.
  const app = await ctx.startApp({ TRUST_PROXY: '1' });
  try {
    const r = await signInBurst(
      app.base,
      members.map((m) => ({ username: m.username, password })),
    );
    say(
      `  ${r.burst} sign-ins answered in ${r.burstMs} ms ${JSON.stringify(r.answers)}; unrelated GET /login p50 ${r.duringLoginMs.p50} ms, p95 ${r.duringLoginMs.p95} ms, p99 ${r.duringLoginMs.p99} ms (idle p95 ${r.idleLoginMs.p95} ms)`,
    );
    return r;
  } finally {
    await stopProcess(app);
    // The data set stays as generated: the members' own password hashes back, the new sessions gone.
    for (const hash of new Set(members.map((m) => m.password_hash))) {
      await ctx
        .db('users')
        .whereIn(
          'id',
          members.filter((m) => m.password_hash === hash).map((m) => m.id),
        )
        .update({ password_hash: hash });
    }
    await ctx.db('session').whereRaw("sess -> 'passport' ->> 'user' = ANY(?)", [ids]).delete();
  }
}

function sustained(step: LoadResult): boolean {
  return (
    step.deliveryMs.p99 <= 100 &&
    step.acked === step.sent &&
    step.deliveries === step.expectedDeliveries &&
    step.persistedPerSecond >= step.targetRate * 0.95
  );
}

async function tableCounts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['subnets', 'rooms', 'users', 'messages', 'threads', 'replies', 'library_items']) {
    out[t] = Number((await db(t).count('* as n').first())?.n ?? 0);
  }
  return out;
}

/** Refuses an unknown argument or phase before anything starts: a typo must not run the full suite. */
function checkArguments(): void {
  const unknown = [
    ...[...args].filter((a) => a !== '--quick' && !a.startsWith('--only=')),
    ...[...only].filter((p) => !PHASES.includes(p)),
  ];
  if (unknown.length > 0)
    throw new Error(`unknown argument or phase ${unknown.join(', ')}: use --quick and --only=${PHASES.join(',')}`);
}

await runCommand('benchmark failed', async () => {
  checkArguments();
  await main();
});
