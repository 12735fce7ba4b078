import type { Db } from '../db/knex.js';
import type { AuditContext } from '../audit/audit.service.js';
import { recordAudit } from '../audit/audit.service.js';
import type { SessionUser } from '../people/person.js';
import { findSubnet, findSubnets, type SubnetSummary } from '../building/building.service.js';
import type { Realtime } from '../realtime/realtime.js';
import { afterCommit } from '../db/after-commit.js';
import { notFound } from '../http/errors.js';
import { notify } from '../notifications/notifications.service.js';
import { authorize, canListCareConversations, canWriteToCareTeam, canOpenCareConversation } from '../policy/index.js';
import { badgeFor } from '../people/labels.js';
import {
  ensureConversation,
  findConversation,
  findConversations,
  insertCareMessage,
  listConversations,
  listMessages,
  type CareMessageRow,
  type ConversationRow,
} from './care-team.repo.js';

async function loadSubnet(db: Db, subnetId: string): Promise<SubnetSummary> {
  const subnet = await findSubnet(db, subnetId);
  if (!subnet) throw notFound();
  return subnet;
}

const target = (c: ConversationRow, subnet: SubnetSummary) => ({
  subnetId: c.subnetId,
  memberId: c.memberId,
  peerModeratorsAllowed: subnet.careTeamIncludesPeerModerators,
});

export interface OpenConversation {
  subnet: SubnetSummary;
  conversation: ConversationRow;
  messages: CareMessageRow[];
  isOwn: boolean;
}

/**
 * Opens a conversation for reading. A clinician's (or peer moderator's) read is audited.
 * @throws HttpError 404 / PolicyDenied (hidden).
 */
export async function openConversation(
  db: Db,
  actor: SessionUser,
  ctx: AuditContext,
  conversationId: string,
  now: Date,
): Promise<OpenConversation> {
  const conversation = await findConversation(db, conversationId);
  if (!conversation) throw notFound();
  const subnet = await loadSubnet(db, conversation.subnetId);
  authorize(canOpenCareConversation(actor, target(conversation, subnet), now));
  const isOwn = conversation.memberId === actor.id;
  if (!isOwn)
    await recordAudit(db, ctx, {
      action: 'care_team.read',
      targetType: 'care_conversation',
      targetId: conversation.id,
      details: { subnet_id: subnet.id },
    });
  return { subnet, conversation, messages: await listMessages(db, conversation.id), isOwn };
}

/**
 * The member's own conversation in a subnet (created on first use).
 * @throws HttpError 404 / PolicyDenied when they have no care team there.
 */
export async function ownConversationId(db: Db, actor: SessionUser, subnetId: string, now: Date): Promise<string> {
  const subnet = await loadSubnet(db, subnetId);
  authorize(canWriteToCareTeam(actor, subnet.id, now));
  return ensureConversation(db, subnet.id, actor.id);
}

/** Writes in a conversation; a staff answer tells the member (by notification, never by its text). */
export async function writeInConversation(
  deps: { db: Db; realtime: Realtime },
  actor: SessionUser,
  ctx: AuditContext,
  open: OpenConversation,
  body: string,
): Promise<void> {
  await deps.db.transaction(async (trx) => {
    await insertCareMessage(trx, open.conversation.id, actor.id, body, open.isOwn);
    if (!open.isOwn) {
      await notify(trx, deps.realtime, {
        userId: open.conversation.memberId,
        kind: 'care_reply',
        link: `/care-team/conversations/${open.conversation.id}`,
        subnetId: open.subnet.id,
        target: { kind: 'care_conversation', id: open.conversation.id },
      });
      await recordAudit(trx, ctx, {
        action: 'care_team.answer',
        targetType: 'care_conversation',
        targetId: open.conversation.id,
      });
    }
  });
  // The staff home's "awaiting a reply" changed (issue 15): its pages read the counts again.
  afterCommit(deps.db, () =>
    deps.realtime.emitToStaff(open.subnet.id, 'workspace:changed', { subnetId: open.subnet.id }),
  );
}

/**
 * The care team's list for a subnet: conversations awaiting a reply, oldest first.
 * @throws HttpError 404 / PolicyDenied (hidden).
 */
export async function careTeamInbox(
  db: Db,
  actor: SessionUser,
  subnetId: string,
  now: Date,
): Promise<{ subnet: SubnetSummary; conversations: ConversationRow[] }> {
  const subnet = await loadSubnet(db, subnetId);
  authorize(
    canListCareConversations(
      actor,
      { id: subnet.id, peerModeratorsAllowed: subnet.careTeamIncludesPeerModerators },
      now,
    ),
  );
  return { subnet, conversations: await listConversations(db, subnet.id) };
}

/** How a care-team message's author is shown: clinicians by their staff display name. */
export function authorLabel(m: CareMessageRow, viewerId: string): string {
  if (m.authorId === viewerId) return 'You';
  const badge = badgeFor(m.authorRole);
  return badge ? `${m.authorDisplayName ?? m.authorNickname} (${badge})` : m.authorNickname;
}

/**
 * For notifications: of these conversations, the ones the actor may open now, each with its
 * subnet (the service a notification names). One missing from the answer is gone or not theirs.
 */
export async function openableConversations(
  db: Db,
  actor: SessionUser,
  ids: readonly string[],
  now: Date,
): Promise<Map<string, SubnetSummary>> {
  const conversations = await findConversations(db, ids);
  const subnets = new Map(
    (await findSubnets(db, [...new Set(conversations.map((c) => c.subnetId))])).map((s) => [s.id, s]),
  );
  const open = new Map<string, SubnetSummary>();
  for (const c of conversations) {
    const subnet = subnets.get(c.subnetId);
    if (subnet && canOpenCareConversation(actor, target(c, subnet), now).allowed) open.set(c.id, subnet);
  }
  return open;
}
