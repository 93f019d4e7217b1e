import { prisma } from "../db.server";
import { CSV_TYPE, exportMembers } from "../services/exports/csv-export.server";
import { downloadRoute } from "../http/download-route.server";

// /app/export/members: every member of the shop as CSV, streamed. POST (the Export button's
// authenticated fetch) answers a signed link; GET with it downloads the file.
const route = downloadRoute(
  async (shop) => ({ name: "regulars-members.csv", type: CSV_TYPE, open: () => exportMembers(prisma, shop) }),
  () => "Nothing to export",
);
export const loader = route.loader;
export const action = route.action;
