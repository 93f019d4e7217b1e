/**
 * When a server or worker process starts: sessions whose tokens are stored
 * in plain text (from before encryption) or under a key that is no longer
 * first in SESSION_ENCRYPTION_KEY are rewritten with the current key
 * (SessionStorage.resealStaleTokens). In the background: requests are
 * served meanwhile, reading such rows as they are. Processes starting
 * together do it side by side safely (each row is rewritten only if it
 * still holds what was read).
 */
import { sessionStorage } from "../app-settings.server";

export function resealSessionsAtStart(): Promise<void> {
  return sessionStorage.resealStaleTokens().then(
    ({ resealed, unreadable, notRebuilt }) => {
      if (resealed > 0) {
        const sessions = resealed === 1 ? "1 session" : `${resealed} sessions`;
        console.log(`[regulars] encrypted the stored tokens of ${sessions} with the current key`);
      }
      if (notRebuilt) {
        console.warn(
          `[regulars] could not rebuild the "Session" table (${notRebuilt}): its old row versions keep the ` +
            "tokens as they were stored before (in plain text, after an upgrade) until PostgreSQL reuses " +
            'their space; run VACUUM FULL "Session" as the table\'s owner',
        );
      }
      if (unreadable.length > 0) {
        console.error(
          `[regulars] ${unreadable.length} sessions have tokens no key in SESSION_ENCRYPTION_KEY decrypts ` +
            `(${unreadable.slice(0, 5).join(", ")}${unreadable.length > 5 ? ", ..." : ""}): ` +
            "add the key they were encrypted with after the current one, or reinstall the app on those shops",
        );
      }
    },
    (error: unknown) => console.error("[regulars] re-encrypting stored tokens failed:", error),
  );
}
