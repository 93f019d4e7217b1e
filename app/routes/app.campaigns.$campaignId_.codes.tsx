import { prisma } from "../db.server";
import { downloadRoute } from "../http/download-route.server";
import { campaignCodesFile } from "../services/campaigns/campaigns.server";

// /app/campaigns/:campaignId/codes: the campaign's customers and their codes as CSV, streamed.
// POST (the Export button's authenticated fetch) answers a signed link; GET with it downloads.
const route = downloadRoute(
  (shop, params) => campaignCodesFile(prisma, shop, params.campaignId ?? ""),
  (strings) => strings.campaigns.notFound,
);
export const loader = route.loader;
export const action = route.action;
