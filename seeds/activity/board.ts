import type { World, Person } from './world.js';
import { audienceOn, pickEngaged } from './world.js';
import { STAFF_REPLIES, THREAD_REPLIES, THREADS } from './text.js';

export interface PlannedThread {
  row: {
    id: string;
    room_id: string;
    author_id: string;
    author_role: string;
    title: string;
    body: string;
    answered_by_staff: boolean;
    reply_count: number;
    created_at: Date;
    last_activity_at: Date;
  };
  replies: { id: string; thread_id: string; author_id: string; author_role: string; body: string; created_at: Date }[];
}

/** Noticeboard threads from members, a few replies from others, and a staff answer to most. */
export function generateThreads(world: World): PlannedThread[] {
  const { rng, clock } = world;
  const out: PlannedThread[] = [];
  for (const subnet of world.subnets)
    for (const room of subnet.rooms.filter((r) => r.kind === 'noticeboard'))
      for (let day = clock.days - 1; day >= 0; day--) {
        const audience = audienceOn(subnet, room, day);
        if (audience.length === 0 || !rng.chance(0.3)) continue;
        const author = pickEngaged(rng, audience);
        const [title, body] = rng.pick(THREADS);
        const id = rng.uuid();
        const createdAt = clock.at(day, clock.minuteOfDay(rng));
        const thread: PlannedThread = {
          row: {
            id,
            room_id: room.id,
            author_id: author.id,
            author_role: author.role,
            title,
            body,
            answered_by_staff: false,
            reply_count: 0,
            created_at: createdAt,
            last_activity_at: createdAt,
          },
          replies: [],
        };
        const reply = (who: Person, text: string, minutes: number) => {
          const at = clock.after(thread.row.last_activity_at, minutes);
          if (!at) return;
          thread.replies.push({
            id: rng.uuid(),
            thread_id: id,
            author_id: who.id,
            author_role: who.role,
            body: text,
            created_at: at,
          });
          Object.assign(thread.row, { reply_count: thread.replies.length, last_activity_at: at });
          if (who.isStaff) thread.row.answered_by_staff = true;
        };
        for (let i = rng.int(0, 2); i > 0; i--)
          reply(pickEngaged(rng, audience), rng.pick(THREAD_REPLIES), rng.int(20, 600));
        if (rng.chance(0.85)) reply(rng.pick(subnet.staff), rng.pick(STAFF_REPLIES), rng.int(60, 1200));
        if (rng.chance(0.3)) reply(pickEngaged(rng, audience), rng.pick(THREAD_REPLIES), rng.int(30, 900));
        out.push(thread);
      }
  return out;
}
