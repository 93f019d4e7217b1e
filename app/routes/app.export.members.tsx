import type { LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "../db.server";
import { csvResponse, exportMembers } from "../services/csv-export.server";
import { authenticate } from "../shopify.server";

// GET /app/export/members: every member of the shop as CSV, streamed.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return csvResponse(exportMembers(prisma, session.shop), "regulars-members.csv");
};
