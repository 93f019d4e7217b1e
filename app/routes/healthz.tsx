import { prisma, database } from "../db.server";
import { pingDatabase } from "../db/connect.server";

// Liveness and readiness for load balancers: the process answers and its
// database does too.
export const loader = async () => {
  await pingDatabase(prisma);
  return Response.json({ ok: true, database: database.kind }, { headers: { "Cache-Control": "no-store" } });
};
