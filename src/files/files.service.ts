/**
 * What other features use of the files feature: recording a received upload's row (in their own
 * transaction, so the file and the item that points at it are written together). They call it
 * here, never files.repo (STYLE.md §1).
 */
export { insertFile } from './files.repo.js';
