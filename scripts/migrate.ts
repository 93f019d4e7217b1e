// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, or to the
// embedded database in DATA_DIR, and prints what it did. The app does the
// same when it starts; this is for deploy pipelines that migrate first.
import { openDatabase } from "../app/db/connect.server";

const database = await openDatabase({
  databaseUrl: process.env.DATABASE_URL || undefined,
  dataDir: process.env.DATA_DIR || "data",
});
const { applied, alreadyApplied } = database.migrations;
console.log(
  `${database.kind}: ${applied.length} migration(s) applied${applied.length ? ` (${applied.join(", ")})` : ""}, ${alreadyApplied} already there`,
);
await database.close();
