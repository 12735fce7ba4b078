import { z } from 'zod';

const RoomId = z.uuid();
const MessageId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** A message body: plain text; the length limit is configurable, so it is checked by the service. */
const Body = z.string().max(20_000);

export const JoinRoom = z.strictObject({ roomId: RoomId, afterId: MessageId.optional() });
export const LeaveRoom = z.strictObject({ roomId: RoomId });
export const SendMessage = z.strictObject({ roomId: RoomId, clientId: z.uuid(), body: Body });
export const LoadHistory = z.strictObject({ roomId: RoomId, beforeId: MessageId });
export const RemoveMessage = z.strictObject({ messageId: MessageId, reason: z.string().trim().max(500).default('') });
export const MuteAuthor = z.strictObject({
  messageId: MessageId,
  minutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 30),
  reason: z.string().trim().max(500).default(''),
});
export const ReportMessage = z.strictObject({ messageId: MessageId, reason: z.string().trim().min(1).max(500) });

/** The no-JavaScript form in the living room. */
export const PostMessageBody = z.strictObject({
  body: z.string({ error: 'Write a message' }).max(20_000, 'Your message is too long'),
  clientId: z.uuid(),
  _csrf: z.string().optional(),
});

export const ReportMessageBody = z.strictObject({
  reason: z
    .string({ error: 'Say what is wrong with this message' })
    .trim()
    .min(3, 'Say what is wrong with this message')
    .max(500, 'The reason must be 500 characters or fewer'),
  _csrf: z.string().optional(),
});
