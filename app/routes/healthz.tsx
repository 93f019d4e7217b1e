import { prisma, database } from "../db.server";

// Liveness and readiness for load balancers: the process answers and its
// database does too.
export const loader = async () => {
  await prisma.$queryRaw`SELECT 1`;
  return Response.json({ ok: true, database: database.kind }, { headers: { "Cache-Control": "no-store" } });
};
