import type { LoaderFunctionArgs } from "@remix-run/node";
import { strings } from "../admin/strings";
import { prisma } from "../db.server";
import { csvResponse } from "../services/csv-export.server";
import { campaignCodesCsv } from "../services/win-back.server";
import { authenticate } from "../shopify.server";

// GET /app/campaigns/:campaignId/codes: the campaign's customers and their codes as CSV, streamed.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const campaignId = params.campaignId ?? "";
  const csv = await campaignCodesCsv(prisma, session.shop, campaignId);
  if (!csv) throw new Response(strings.campaigns.notFound, { status: 404 });
  return csvResponse(csv, `regulars-win-back-${campaignId}.csv`);
};
