import type { Server } from 'socket.io';

/** Socket.IO room names: the server chooses them, clients only ever ask by id. */
export const socketRooms = {
  room: (roomId: string) => `room:${roomId}`,
  staff: (subnetId: string) => `staff:${subnetId}`,
  duty: (subnetId: string) => `duty:${subnetId}`,
  user: (userId: string) => `user:${userId}`,
  session: (sid: string) => `session:${sid}`,
};

/** What each socket carries (read across nodes by fetchSockets for presence). */
export interface SocketData {
  userId: string;
  sid: string;
  nickname: string;
  badge: string | null;
  /** Subnets in which this person is staff (for the "staff online" line). */
  staffOf: string[];
}

export interface Presence {
  roomId: string;
  people: { nickname: string; badge: string | null }[];
  staffOnline: boolean;
}

/**
 * The bridge from services and HTTP routes to live sockets. Until Socket.IO is attached (tests of
 * HTTP alone) every call is a no-op. With the Postgres adapter each call reaches every node.
 */
export interface Realtime {
  attach(io: Server): void;
  emitToRoom(roomId: string, event: string, payload: unknown): void;
  emitToStaff(subnetId: string, event: string, payload: unknown): void;
  /** To the subnet's staff who are on duty now. */
  emitToDuty(subnetId: string, event: string, payload: unknown): void;
  /**
   * To every open socket of the subnet's staff, on duty or not, in the room or anywhere else
   * (the staff and on-duty socket rooms together, each socket once): how alerts travel.
   */
  emitToStaffAndDuty(subnetId: string, event: string, payload: unknown): void;
  /** The ids of the subnet's staff with an open socket now (on duty or not), across nodes. */
  staffOnline(subnetId: string): Promise<string[]>;
  /** Puts a person's open sockets into (or out of) the subnet's on-duty room, on every node. */
  joinDuty(userId: string, subnetId: string): void;
  leaveDuty(userId: string, subnetId: string): void;
  emitToUser(userId: string, event: string, payload: unknown): void;
  /** Disconnects every socket of a person (suspension, cohort change) on every node. */
  disconnectUser(userId: string): void;
  /** Disconnects every socket opened with one session (logout, session ended). */
  disconnectSession(sid: string): void;
  /** Who is in a room now, across nodes. */
  presence(roomId: string, subnetId: string): Promise<Presence>;
  /**
   * How many people (each once, however many tabs) are in each of these rooms now, across nodes, in
   * one fetchSockets: rooms nobody is in are absent from the map.
   */
  peopleInRooms(roomIds: readonly string[]): Promise<Map<string, number>>;
}

export function createRealtime(): Realtime {
  let io: Server | undefined;
  return {
    attach(server) {
      io = server;
    },
    emitToRoom(roomId, event, payload) {
      io?.to(socketRooms.room(roomId)).emit(event, payload);
    },
    emitToStaff(subnetId, event, payload) {
      io?.to(socketRooms.staff(subnetId)).emit(event, payload);
    },
    emitToDuty(subnetId, event, payload) {
      io?.to(socketRooms.duty(subnetId)).emit(event, payload);
    },
    emitToStaffAndDuty(subnetId, event, payload) {
      io?.to([socketRooms.staff(subnetId), socketRooms.duty(subnetId)]).emit(event, payload);
    },
    async staffOnline(subnetId) {
      if (!io) return [];
      const sockets = await io.in([socketRooms.staff(subnetId), socketRooms.duty(subnetId)]).fetchSockets();
      return [
        ...new Set(
          sockets.map((s) => (s.data as SocketData | undefined)?.userId).filter((id): id is string => Boolean(id)),
        ),
      ];
    },
    joinDuty(userId, subnetId) {
      io?.in(socketRooms.user(userId)).socketsJoin(socketRooms.duty(subnetId));
    },
    leaveDuty(userId, subnetId) {
      io?.in(socketRooms.user(userId)).socketsLeave(socketRooms.duty(subnetId));
    },
    emitToUser(userId, event, payload) {
      io?.to(socketRooms.user(userId)).emit(event, payload);
    },
    disconnectUser(userId) {
      io?.in(socketRooms.user(userId)).disconnectSockets(true);
    },
    disconnectSession(sid) {
      io?.in(socketRooms.session(sid)).disconnectSockets(true);
    },
    async presence(roomId, subnetId) {
      if (!io) return { roomId, people: [], staffOnline: false };
      const sockets = await io.in(socketRooms.room(roomId)).fetchSockets();
      const byUser = new Map<string, SocketData>();
      for (const s of sockets) {
        const data = s.data as SocketData | undefined;
        if (data?.userId) byUser.set(data.userId, data);
      }
      const people = [...byUser.values()]
        .map((d) => ({ nickname: d.nickname, badge: d.badge }))
        .sort((a, b) => a.nickname.localeCompare(b.nickname));
      return { roomId, people, staffOnline: [...byUser.values()].some((d) => d.staffOf.includes(subnetId)) };
    },
    async peopleInRooms(roomIds) {
      if (!io || roomIds.length === 0) return new Map();
      const wanted = new Map(roomIds.map((id) => [socketRooms.room(id), id]));
      const sockets = await io.in([...wanted.keys()]).fetchSockets();
      const people = new Map<string, Set<string>>();
      for (const s of sockets) {
        const userId = (s.data as SocketData | undefined)?.userId;
        if (!userId) continue;
        for (const name of s.rooms) {
          const roomId = wanted.get(name);
          if (roomId) people.set(roomId, (people.get(roomId) ?? new Set()).add(userId));
        }
      }
      return new Map([...people].map(([roomId, users]) => [roomId, users.size]));
    },
  };
}
