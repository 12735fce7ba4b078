import { Clock, DAY } from './clock.js';
import type { World, Person, SubnetInfo } from './world.js';
import { CARE_MEMBER, CARE_STAFF } from './text.js';

export interface PlannedConversation {
  row: {
    id: string;
    subnet_id: string;
    member_id: string;
    created_at: Date;
    last_message_at: Date;
    awaiting_since: Date | null;
  };
  messages: { conversation_id: string; author_id: string; body: string; created_at: Date; fromMember: boolean }[];
}

export interface PlannedCareEvent {
  user_id: string;
  subnet_id: string;
  kind: 'admission' | 'discharge' | 'relapse';
  occurred_on: string;
  recorded_by: string;
  created_at: Date;
}

/** Care-team exchanges: a member writes, the team answers in working hours; the latest may still wait. */
export function generateCareTeam(world: World): PlannedConversation[] {
  const { rng, clock } = world;
  const out: PlannedConversation[] = [];
  for (const subnet of world.subnets)
    for (const member of subnet.members) {
      if (!rng.chance(0.4)) continue;
      const id = rng.uuid();
      const conversation: PlannedConversation = {
        row: {
          id,
          subnet_id: subnet.id,
          member_id: member.id,
          created_at: clock.now,
          last_message_at: clock.now,
          awaiting_since: null,
        },
        messages: [],
      };
      const start = Math.min(member.joinedDay - 1, clock.days - 1);
      let day = rng.int(Math.max(0, start - 20), start);
      while (day >= 0) {
        const asked = clock.at(day, clock.minuteOfDay(rng));
        conversation.messages.push({
          conversation_id: id,
          author_id: member.id,
          body: rng.pick(CARE_MEMBER),
          created_at: asked,
          fromMember: true,
        });
        const answerDay = clock.dayOf(asked) - rng.int(0, 1);
        const answered = answerDay >= 0 ? clock.at(answerDay, clock.workingMinute(rng)) : null;
        if (!answered || answered <= asked || rng.chance(0.04)) break;
        const staff = rng.pick(subnet.staff);
        conversation.messages.push({
          conversation_id: id,
          author_id: staff.id,
          body: rng.pick(CARE_STAFF),
          created_at: answered,
          fromMember: false,
        });
        day = clock.dayOf(answered) - rng.int(4, 20);
      }
      const first = conversation.messages[0];
      const last = conversation.messages.at(-1);
      if (!first || !last) continue;
      Object.assign(conversation.row, {
        created_at: first.created_at,
        last_message_at: last.created_at,
        awaiting_since: last.fromMember ? last.created_at : null,
      });
      out.push(conversation);
    }
  return out;
}

/**
 * Admissions, discharges and relapses of the Eating Disorders members: less engaged members are
 * admitted more often and for longer, so outcomes by engagement has a difference to show (the
 * demo's story, not a finding). Every stay ends before today.
 */
export function generateCareEvents(world: World): PlannedCareEvent[] {
  const { rng, clock } = world;
  const out: PlannedCareEvent[] = [];
  const subnet = world.subnets.find((s) => s.slug === 'eating-disorders');
  const clinician = subnet?.staff.find((s) => s.role === 'clinician');
  if (!subnet || !clinician) return out;
  const event = (member: Person, kind: PlannedCareEvent['kind'], day: number) =>
    out.push({
      user_id: member.id,
      subnet_id: subnet.id,
      kind,
      occurred_on: Clock.date(new Date(clock.today - day * DAY)),
      recorded_by: clinician.id,
      created_at: clock.at(Math.max(0, day - 1), clock.workingMinute(rng)),
    });
  for (const member of membersWithCare(subnet)) {
    const engaged = member.engagement >= 0.55;
    let from = Math.min(member.joinedDay - 1, clock.days - 1);
    while (from > 3 && rng.chance(engaged ? 0.12 : 0.45)) {
      const admitted = rng.int(Math.max(3, from - 30), from);
      const discharged = Math.max(1, admitted - rng.int(engaged ? 3 : 6, engaged ? 12 : 30));
      event(member, 'admission', admitted);
      event(member, 'discharge', discharged);
      from = discharged - 7;
    }
    if (rng.chance(engaged ? 0.1 : 0.3))
      event(member, 'relapse', rng.int(0, Math.min(member.joinedDay - 1, clock.days - 1)));
  }
  return out;
}

const membersWithCare = (subnet: SubnetInfo) => subnet.members.filter((m) => m.cohortSlug !== 'recovered');
