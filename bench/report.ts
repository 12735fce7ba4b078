import type { PageResult } from './pages.js';
import type { LoadResult } from './chat.js';
import type { SignInBurstResult } from './signins.js';
import { round } from './processes.js';

export interface Target {
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

export interface Results {
  profile: string;
  at: string;
  machine: { cores: number; cpu: string; memoryGiB: number; node: string };
  dataset: Record<string, number>;
  startupSeconds: { runs: number[]; median: number };
  /** `npm start` on an empty data directory: initdb, migrations, the demo and its generated activity. */
  firstStart: { seconds: number };
  pages: {
    helloWorld: PageResult;
    sessionSelectEjs: PageResult;
    lobby: PageResult;
    livingRoom: PageResult;
    library: PageResult;
    television: PageResult;
    noticeboard: PageResult;
  };
  chat: {
    sockets: number;
    rooms: number;
    steady: LoadResult;
    ceiling: { steps: LoadResult[]; sustainedPersistedPerSecond: number };
  };
  history: { roomMessages: number; samples: number; p50: number; p95: number; p99: number; messagesPerPage: number };
  memory: { sockets: number; rssBeforeMiB: number; rssAfterMiB: number; bytesPerSocket: number };
  signIns: SignInBurstResult;
  targets: Target[];
}

/** The issue's targets, each judged against this run's figures. */
export function judge(r: Results): Target[] {
  const floor = r.pages.sessionSelectEjs.rps;
  // Issue 14: every room page and the lobby at 80% or more of the session + SELECT + EJS floor.
  const throughput = (p: PageResult): Target => {
    const ratio = p.rps / floor;
    return {
      name: `${p.name[0]?.toUpperCase()}${p.name.slice(1)} throughput`,
      target: '≥ 80% of the session + SELECT + EJS floor',
      measured: `${round(ratio * 100, 0)}% (${p.rps} vs ${floor} req/s)`,
      met: ratio >= 0.8,
    };
  };
  const { livingRoom, library, television, noticeboard, lobby } = r.pages;
  return [
    ...[livingRoom, library, television, noticeboard, lobby].map(throughput),
    {
      name: 'Living-room page p99',
      target: '< 80 ms',
      measured: `${r.pages.livingRoom.p99Ms} ms`,
      met: r.pages.livingRoom.p99Ms < 80,
    },
    {
      name: `Chat delivery p99 at ${r.chat.sockets} sockets`,
      target: '< 15 ms, every message persisted first',
      measured: `${r.chat.steady.deliveryMs.p99} ms (${r.chat.steady.deliveries}/${r.chat.steady.expectedDeliveries} delivered)`,
      met: r.chat.steady.deliveryMs.p99 < 15 && r.chat.steady.deliveries === r.chat.steady.expectedDeliveries,
    },
    {
      name: 'Chat ceiling',
      target: '≥ 2,000 persisted messages/s with p99 ≤ 100 ms',
      measured: `${r.chat.ceiling.sustainedPersistedPerSecond} msg/s`,
      met: r.chat.ceiling.sustainedPersistedPerSecond >= 2000,
    },
    {
      name: 'Memory per idle authenticated socket',
      target: '< 32 KB',
      measured: `${round(r.memory.bytesPerSocket / 1024, 1)} KB (${r.memory.sockets} sockets)`,
      met: r.memory.bytesPerSocket < 32 * 1024,
    },
    {
      name: `History page p99 (${r.history.roomMessages.toLocaleString('en-GB')} messages)`,
      target: '< 20 ms',
      measured: `${r.history.p99} ms`,
      met: r.history.p99 < 20,
    },
    {
      name: `Unrelated GET /login p95 during ${r.signIns.burst} parallel sign-ins`,
      target: '< 100 ms',
      measured: `${r.signIns.duringLoginMs.p95} ms (idle ${r.signIns.idleLoginMs.p95} ms)`,
      met: r.signIns.duringLoginMs.p95 < 100,
    },
    {
      name: 'Start-up on an existing data directory',
      target: '< 5 s',
      measured: `${r.startupSeconds.median} s (median of ${r.startupSeconds.runs.length})`,
      met: r.startupSeconds.median < 5,
    },
    {
      name: 'First start on an empty data directory (demo activity included)',
      target: '< 15 s',
      measured: `${r.firstStart.seconds} s`,
      met: r.firstStart.seconds < 15,
    },
  ];
}

export function toMarkdown(r: Results): string {
  const page = (p: PageResult) =>
    `| ${p.name} | ${p.rps} | ${p.p99Ms} | ${Math.round(p.bytesPerPage / 1024)} KB | ${round((p.rps / r.pages.sessionSelectEjs.rps) * 100, 0)}% | ${p.cpuMsPerRequest.server} | ${p.cpuMsPerRequest.postgres} |`;
  const lines = [
    `# SHaRON benchmark (${r.profile})`,
    '',
    `${r.at} · ${r.machine.cores} cores (${r.machine.cpu}) · ${r.machine.memoryGiB} GiB · Node ${r.machine.node} · load generator on the same machine`,
    '',
    `Data: ${Object.entries(r.dataset)
      .map(([k, v]) => `${v.toLocaleString('en-GB')} ${k}`)
      .join(', ')}.`,
    '',
    '## Targets',
    '',
    '| Measure | Target | Measured | Met |',
    '| --- | --- | --- | --- |',
    ...r.targets.map((t) => `| ${t.name} | ${t.target} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`),
    '',
    '## Pages (autocannon, medians)',
    '',
    '| Page | req/s | p99 ms | size | of floor 2 | CPU ms/request: server | PostgreSQL |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    page(r.pages.helloWorld),
    page(r.pages.sessionSelectEjs),
    page(r.pages.lobby),
    page(r.pages.livingRoom),
    page(r.pages.library),
    page(r.pages.television),
    page(r.pages.noticeboard),
    '',
    `## Chat (${r.chat.sockets} sockets, ${r.chat.rooms} living rooms)`,
    '',
    '| Offered msg/s | Persisted msg/s | Delivery p50 | p95 | p99 | Ack p99 | Delivered | Refused | CPU ms/msg: app | PostgreSQL | load generator |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...[r.chat.steady, ...r.chat.ceiling.steps].map(
      (s) =>
        `| ${s.targetRate} | ${s.persistedPerSecond} | ${s.deliveryMs.p50} ms | ${s.deliveryMs.p95} ms | ${s.deliveryMs.p99} ms | ${s.ackMs.p99} ms | ${s.deliveries}/${s.expectedDeliveries} | ${Object.keys(s.refused).length ? JSON.stringify(s.refused) : 'none'} | ${s.cpuMsPerMessage?.app ?? '–'} | ${s.cpuMsPerMessage?.postgres ?? '–'} | ${s.cpuMsPerMessage?.loadGenerator ?? '–'} |`,
    ),
    '',
    `Each message goes to ${Math.round(r.chat.sockets / r.chat.rooms)} sockets. The CPU columns say where a step's time went on this machine (all three share its cores).`,
    '',
    `Highest sustained rate (p99 ≤ 100 ms, everything acknowledged and delivered): **${r.chat.ceiling.sustainedPersistedPerSecond} persisted messages/s**.`,
    '',
    '## Memory, history, start-up, sign-ins',
    '',
    `- Memory: ${r.memory.sockets} idle authenticated sockets took RSS from ${r.memory.rssBeforeMiB} MiB to ${r.memory.rssAfterMiB} MiB: ${round(r.memory.bytesPerSocket / 1024, 1)} KB each.`,
    `- History: ${r.history.samples} older pages of ${r.history.messagesPerPage} messages in a room of ${r.history.roomMessages.toLocaleString('en-GB')}: p50 ${r.history.p50} ms, p95 ${r.history.p95} ms, p99 ${r.history.p99} ms.`,
    `- Start-up (\`npm start\` to 200 on /healthz, existing data directory): ${r.startupSeconds.runs.join(' s, ')} s.`,
    `- First start (\`npm start\` to 200 on /healthz, empty data directory: initdb, migrations, the demo and its twelve weeks of activity): ${r.firstStart.seconds} s.`,
    `- Sign-ins: ${r.signIns.burst} posted at once with ${r.signIns.passwordLength}-character passwords, answered in ${r.signIns.burstMs} ms (${Object.entries(
      r.signIns.answers,
    )
      .map(([status, n]) => `${n} × ${status}`)
      .join(
        ', ',
      )}; 503 asks to retry in a few seconds). Meanwhile an unrelated \`GET /login\` (${r.signIns.duringLoginMs.samples} in a row): p50 ${r.signIns.duringLoginMs.p50} ms, p95 ${r.signIns.duringLoginMs.p95} ms, p99 ${r.signIns.duringLoginMs.p99} ms; idle p95 ${r.signIns.idleLoginMs.p95} ms.`,
    '',
  ];
  return lines.join('\n');
}
