import type { World, SubnetInfo, RoomInfo, Person } from './world.js';
import { audienceOn, pickEngaged } from './world.js';
import { ALERT_LINES, HELD_LINES, OPENERS, REPORT_REASONS, RESPONSES, STAFF_LINES } from './text.js';

/** A living-room message to insert, with the alert or report that follows it, if any. */
export interface PlannedMessage {
  row: {
    room_id: string;
    author_id: string;
    author_role: string;
    client_id: string;
    body: string;
    status: 'visible' | 'held' | 'declined' | 'removed';
    held_reason: string | null;
    moderated_by: string | null;
    moderated_at: Date | null;
    created_at: Date;
  };
  alert?: { subnet_id: string; matched: string; acknowledged_by: string | null; acknowledged_at: Date | null };
  report?: {
    reporter_id: string;
    reason: string;
    created_at: Date;
    status: 'open' | 'closed';
    handled_by: string | null;
    handled_at: Date | null;
    outcome: 'dismissed' | 'removed' | null;
  };
}

const ALERT_PHRASE = 'purging again';

/** Conversations in every living room, at all hours, on every day of the period. */
export function generateChat(world: World): PlannedMessage[] {
  const out: PlannedMessage[] = [];
  for (const subnet of world.subnets)
    for (const room of subnet.rooms.filter((r) => r.kind === 'living_room'))
      for (let day = world.clock.days - 1; day >= 0; day--) {
        const audience = audienceOn(subnet, room, day);
        if (audience.length === 0) continue;
        const sessions = world.rng.int(1, world.clock.isWeekend(day) ? 4 : 3);
        for (let s = 0; s < sessions; s++) session(world, subnet, room, audience, day, out);
      }
  return out;
}

function session(
  world: World,
  subnet: SubnetInfo,
  room: RoomInfo,
  audience: Person[],
  day: number,
  out: PlannedMessage[],
) {
  const { rng, clock } = world;
  const people = Array.from({ length: Math.min(audience.length, rng.int(2, 4)) }, () => pickEngaged(rng, audience));
  let minute = clock.minuteOfDay(rng);
  const length = rng.int(3, 7);
  const staffJoins = subnet.staff.length > 0 && rng.chance(0.3) && minute >= 9 * 60 && minute < 22 * 60;
  for (let i = 0; i < length; i++) {
    const author = i === 2 && staffJoins ? rng.pick(subnet.staff) : (people[i % people.length] as Person);
    const body = author.isStaff ? rng.pick(STAFF_LINES) : rng.pick(i === 0 ? OPENERS : RESPONSES);
    out.push(message(world, room, author, body, clock.at(day, minute)));
    minute += rng.int(1, 6);
  }
  const author = people[0] as Person;
  if (subnet.slug === 'eating-disorders' && rng.chance(0.05)) {
    out.push(held(world, subnet, room, author, clock.at(day, minute + 2)));
  }
  if (subnet.slug === 'eating-disorders' && rng.chance(0.025)) {
    out.push(alerted(world, subnet, room, author, clock.at(day, minute + 3)));
  }
  const last = out.at(-1);
  const reporter = people.find((p) => p.id !== last?.row.author_id);
  if (last && reporter && last.row.status === 'visible' && !last.alert && rng.chance(0.03)) {
    last.report = report(world, subnet, reporter, last.row.created_at);
    if (last.report.outcome === 'removed')
      Object.assign(last.row, {
        status: 'removed',
        moderated_by: last.report.handled_by,
        moderated_at: last.report.handled_at,
      });
  }
}

function message(world: World, room: RoomInfo, author: Person, body: string, at: Date): PlannedMessage {
  return {
    row: {
      room_id: room.id,
      author_id: author.id,
      author_role: author.role,
      client_id: world.rng.uuid(),
      body,
      status: 'visible',
      held_reason: null,
      moderated_by: null,
      moderated_at: null,
      created_at: at,
    },
  };
}

/** A message the room's numbers rule held: declined by staff, unless it is recent and still waiting. */
function held(world: World, subnet: SubnetInfo, room: RoomInfo, author: Person, at: Date): PlannedMessage {
  const m = message(world, room, author, world.rng.pick(HELD_LINES), at);
  const decidedAt = world.clock.after(at, world.rng.int(10, 600));
  const by = world.rng.pick(subnet.staff);
  Object.assign(m.row, { held_reason: 'builtin:numbers', status: decidedAt ? 'declined' : 'held' });
  if (decidedAt) Object.assign(m.row, { moderated_by: by.id, moderated_at: decidedAt });
  return m;
}

/** A message with the service's alert phrase: delivered, and staff acknowledge the alert (or have yet to). */
function alerted(world: World, subnet: SubnetInfo, room: RoomInfo, author: Person, at: Date): PlannedMessage {
  const m = message(world, room, author, world.rng.pick(ALERT_LINES), at);
  const minutes = world.rng.chance(0.7) ? world.rng.int(2, 45) : world.rng.int(45, 900);
  const ackAt = world.clock.after(at, minutes);
  const by = world.rng.pick(subnet.staff);
  m.alert = {
    subnet_id: subnet.id,
    matched: ALERT_PHRASE,
    acknowledged_by: ackAt ? by.id : null,
    acknowledged_at: ackAt,
  };
  return m;
}

function report(world: World, subnet: SubnetInfo, reporter: Person, at: Date): NonNullable<PlannedMessage['report']> {
  const created = world.clock.after(at, world.rng.int(1, 120)) ?? at;
  const handledAt = world.clock.after(created, world.rng.int(15, 1400));
  const by = world.rng.pick(subnet.staff);
  return {
    reporter_id: reporter.id,
    reason: world.rng.pick(REPORT_REASONS),
    created_at: created,
    status: handledAt ? 'closed' : 'open',
    handled_by: handledAt ? by.id : null,
    handled_at: handledAt,
    outcome: handledAt ? (world.rng.chance(0.75) ? 'dismissed' : 'removed') : null,
  };
}

/**
 * What staff find waiting when they open the demo: in the first living room of the first service
 * with alerts, two held messages, an alert not yet acknowledged and two open reports, all recent.
 */
export function addWaiting(world: World, out: PlannedMessage[]): void {
  const subnet = world.subnets.find((s) => s.slug === 'eating-disorders');
  const room = subnet?.rooms.find((r) => r.kind === 'living_room');
  if (!subnet || !room) return;
  const audience = audienceOn(subnet, room, 0);
  if (audience.length < 2) return;
  const ago = (minutes: number) => new Date(world.clock.now.getTime() - minutes * 60_000);
  for (const minutes of [190, 40]) {
    const m = message(world, room, pickEngaged(world.rng, audience), world.rng.pick(HELD_LINES), ago(minutes));
    Object.assign(m.row, { held_reason: 'builtin:numbers', status: 'held' });
    out.push(m);
  }
  const alert = message(world, room, pickEngaged(world.rng, audience), world.rng.pick(ALERT_LINES), ago(25));
  alert.alert = { subnet_id: subnet.id, matched: ALERT_PHRASE, acknowledged_by: null, acknowledged_at: null };
  out.push(alert);
  for (const minutes of [300, 75]) {
    const [author, reporter] = [audience[0], audience[1]] as [Person, Person];
    const m = message(world, room, author, world.rng.pick(RESPONSES), ago(minutes + 5));
    m.report = {
      reporter_id: reporter.id,
      reason: world.rng.pick(REPORT_REASONS),
      created_at: ago(minutes),
      status: 'open',
      handled_by: null,
      handled_at: null,
      outcome: null,
    };
    out.push(m);
  }
}
