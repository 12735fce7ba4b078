/**
 * What other features use of the accounts and sessions that auth owns: a person's login row and
 * session identity, creating an account (after checking its username and nickname are free),
 * setting its status and password, and listing or ending its sessions. They call these here,
 * never users.repo or sessions.repo (STYLE.md §1).
 */
export {
  findLoginByUsername,
  findSessionUser,
  findTaken,
  insertUser,
  setStatus,
  updatePasswordHash,
} from './users.repo.js';
export {
  deleteSessionsOfUser,
  endSessions,
  findLiveSessionExpiry,
  findUsersByProviderSession,
  listLiveSessionIds,
  listSessionsOf,
} from './sessions.repo.js';
export { findWorkIdentity, setWorkEmail } from './oidc/oidc.repo.js';
