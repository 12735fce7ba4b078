/** The sizes a benchmark run works at: the default, and a small one for CI's smoke run. */
export interface Profile {
  name: 'full' | 'quick';
  subnets: number;
  /** Living rooms per subnet (the other room of each subnet is a noticeboard or a library). */
  livingRoomsPerSubnet: number;
  members: number;
  messages: number;
  /** Messages in the one room whose history is paged (part of `messages`). */
  historyRoomMessages: number;
  posts: number;
  libraryItems: number;
  pages: { connections: number; runs: number; seconds: number };
  chat: { sockets: number; rooms: number; seconds: number; ceilingSteps: number[]; ceilingSeconds: number };
  idleSockets: number;
  /** Sign-ins posted at once (128-character passwords) while an unrelated page is timed. */
  signInBurst: number;
  historySamples: number;
  startupRuns: number;
}

export const PROFILES: Record<Profile['name'], Profile> = {
  full: {
    name: 'full',
    subnets: 10,
    livingRoomsPerSubnet: 5,
    members: 20_000,
    messages: 1_000_000,
    historyRoomMessages: 200_000,
    posts: 50_000,
    libraryItems: 2_000,
    pages: { connections: 50, runs: 3, seconds: 10 },
    chat: {
      sockets: 1_000,
      rooms: 50,
      seconds: 20,
      ceilingSteps: [250, 500, 750, 1000, 1250, 1500, 2000, 2500, 3000],
      ceilingSeconds: 10,
    },
    idleSockets: 5_000,
    signInBurst: 200,
    historySamples: 2_000,
    startupRuns: 3,
  },
  quick: {
    name: 'quick',
    subnets: 2,
    livingRoomsPerSubnet: 5,
    members: 1_000,
    messages: 30_000,
    historyRoomMessages: 10_000,
    posts: 1_000,
    libraryItems: 100,
    pages: { connections: 10, runs: 1, seconds: 2 },
    chat: { sockets: 100, rooms: 10, seconds: 3, ceilingSteps: [100, 200], ceilingSeconds: 2 },
    idleSockets: 200,
    signInBurst: 50,
    historySamples: 100,
    startupRuns: 1,
  },
};
