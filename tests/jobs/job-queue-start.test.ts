/**
 * Several processes starting at once on a new database (instances rolled out
 * together, or `npm start` with WEB_CONCURRENCY) each open the job queue:
 * they create the same queues and schedules concurrently, and every one of
 * them must start. PostgreSQL only: PGlite belongs to one process.
 */
import { describe, expect, it } from "vitest";
import { openDatabase } from "~/db/connect.server";
import { JobQueue } from "~/jobs/job-queue.server";
import { QUEUE_NAMES } from "~/jobs/queues";
import { dropIsolatedSchema, isolatedSchemaUrl } from "../support/isolated-database";

describe.runIf(process.env.DB_TARGET === "postgres")("job queues opened at once", () => {
  it("six processes' worth open together on a fresh schema, each with every queue", async () => {
    const url = isolatedSchemaUrl(process.env.TEST_DATABASE_URL!);
    // The schema and its migrations first, as the first process to start does under its lock.
    const first = await openDatabase({ databaseUrl: url, dataDir: "unused", poolSize: 4 });
    const others = await Promise.all(
      Array.from({ length: 5 }, () => openDatabase({ databaseUrl: url, dataDir: "unused", poolSize: 4 })),
    );
    const databases = [first, ...others];
    try {
      const queues = await Promise.all(
        databases.map((database) => JobQueue.open(database, { supervise: false, schedule: true })),
      );
      const { rows } = await first.sql.executeSql(
        `SELECT count(*)::int AS n FROM "${first.schema}_pgboss".queue WHERE name = ANY($1)`,
        [[...QUEUE_NAMES]],
      );
      expect(rows[0]!.n).toBe(QUEUE_NAMES.length);
      await Promise.all(queues.map((queue) => queue.stop()));
    } finally {
      await Promise.all(databases.map((database) => database.close()));
      await dropIsolatedSchema(url);
    }
  });
});
