import type { RoomKind } from '../policy/index.js';
import { COUNT_CAP, type RoomNews } from './room-visits.repo.js';

/** The lobby's words for a room's life: who is there now (living rooms) and what is new since the last visit. */
export interface RoomActivity {
  /** "3 people here now"; absent for rooms without presence, or when presence could not be read. */
  here?: string;
  /** "5 new messages since your last visit", "Nothing new", or "You have not visited yet". */
  news: string;
  /** Something is new: the lobby shows it in bold. */
  hasNews: boolean;
}

/** "1 person here now", "3 people here now", "Nobody here now". */
export function peopleHereWords(people: number): string {
  if (people === 0) return 'Nobody here now';
  return people === 1 ? '1 person here now' : `${people} people here now`;
}

/** "1 new message", "5 new messages", "more than 99 new messages" (counts stop at COUNT_CAP). */
function countWords(n: number, singular: string, plural: string): string {
  if (n >= COUNT_CAP) return `more than ${COUNT_CAP - 1} new ${plural}`;
  return n === 1 ? `1 new ${singular}` : `${n} new ${plural}`;
}

function sentence(parts: string[]): string {
  const joined = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? '');
  return `${joined.charAt(0).toUpperCase()}${joined.slice(1)} since your last visit`;
}

/** What is new in a room of `kind`, in words; never any text from the room. */
export function newsWords(kind: RoomKind, news: RoomNews | undefined): Pick<RoomActivity, 'news' | 'hasNews'> {
  if (!news?.visited) return { news: 'You have not visited yet', hasNews: false };
  const parts = [
    ...(kind === 'living_room' && news.messages ? [countWords(news.messages, 'message', 'messages')] : []),
    ...(kind === 'noticeboard' && news.threads ? [countWords(news.threads, 'thread', 'threads')] : []),
    ...(kind === 'noticeboard' && news.replies ? [countWords(news.replies, 'reply', 'replies')] : []),
    ...(kind === 'library' && news.items ? [countWords(news.items, 'item', 'items')] : []),
    ...(kind === 'television' && news.videos ? [countWords(news.videos, 'video', 'videos')] : []),
  ];
  return parts.length ? { news: sentence(parts), hasNews: true } : { news: 'Nothing new', hasNews: false };
}
