import type { Db } from '../db/knex.js';

/**
 * Everything SHaRON holds that a person wrote or chose (profile, memberships, messages, posts,
 * care-team messages, survey answers), for "download my data". Care events recorded by clinicians
 * and private references are clinical records of the service and are left to the service's
 * subject-access process.
 */
export async function exportMemberData(db: Db, userId: string): Promise<Record<string, unknown>> {
  const [user, memberships, messages, threads, replies, care, surveys] = await Promise.all([
    db('users').where({ id: userId }).first('username', 'nickname', 'role', 'created_at', 'last_seen_at'),
    db('memberships as m').join('subnets as s', 's.id', 'm.subnet_id').leftJoin('cohorts as c', 'c.id', 'm.cohort_id').where('m.user_id', userId).select('s.name as service', 'c.name as group', 'm.started_at', 'm.ends_at'),
    db('messages as m').join('rooms as r', 'r.id', 'm.room_id').where('m.author_id', userId).orderBy('m.id').select('r.name as room', 'm.body', 'm.status', 'm.created_at'),
    db('threads as t').join('rooms as r', 'r.id', 't.room_id').where('t.author_id', userId).orderBy('t.created_at').select('r.name as room', 't.title', 't.body', 't.status', 't.created_at'),
    db('replies as p').join('threads as t', 't.id', 'p.thread_id').where('p.author_id', userId).orderBy('p.created_at').select('t.title as thread', 'p.body', 'p.status', 'p.created_at'),
    db('care_messages as m').join('care_conversations as c', 'c.id', 'm.conversation_id').where('m.author_id', userId).orderBy('m.id').select('m.body', 'm.created_at'),
    db('survey_answers as a').join('survey_responses as r', 'r.id', 'a.response_id').join('questions as q', 'q.id', 'a.question_id').where('r.user_id', userId).select('q.text as question', 'a.likert', 'a.choice', 'a.text', 'r.created_at'),
  ]);
  return { exportedAt: new Date().toISOString(), profile: user, memberships, livingRoomMessages: messages, noticeboardThreads: threads, noticeboardReplies: replies, careTeamMessages: care, surveyAnswers: surveys };
}
