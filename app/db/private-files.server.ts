/**
 * Files only the app's own user may read: the embedded database's folder and
 * the development session key. A folder is created 0700 and a file 0600,
 * whatever the process's umask. PGlite writes its data folder from a packed
 * image with every file 0666 (969 files of a new database), so its tree is
 * made private again after it opens (privateTree); PostgreSQL's own later
 * files (WAL segments, new tables) are 0600 already.
 */
import { chmodSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and its missing parents) 0700; an existing folder is left as it is. */
export function ensurePrivateDir(dir: string): void {
  const first = mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  // mkdir's mode passes through the umask; set it exactly on every folder this call created.
  if (first === undefined) return;
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    chmodSync(at, PRIVATE_DIR_MODE);
    if (at === path.resolve(first) || at === path.dirname(at)) break;
  }
}

/** Makes `dir` and everything in it private: folders 0700, files 0600 (symbolic links are left alone). */
export function privateTree(dir: string): void {
  chmodSync(dir, PRIVATE_DIR_MODE);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const at = path.join(dir, entry.name);
    if (entry.isDirectory()) privateTree(at);
    else if (entry.isFile() && (statSync(at).mode & 0o777) !== PRIVATE_FILE_MODE)
      chmodSync(at, PRIVATE_FILE_MODE);
  }
}
