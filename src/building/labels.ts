import type { RoomKind } from '../policy/index.js';

/** What each kind of room is called on the page. */
export const KIND_LABELS: Record<RoomKind, string> = {
  living_room: 'Living room',
  library: 'Library',
  television: 'Television',
  noticeboard: 'Noticeboard',
};
