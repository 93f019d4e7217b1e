import type { LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "../db.server";
import { csvResponse, exportLedger } from "../services/csv-export.server";
import { authenticate } from "../shopify.server";

// GET /app/export/ledger: the shop's whole points history as CSV, streamed.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return csvResponse(exportLedger(prisma, session.shop), "regulars-points-history.csv");
};
