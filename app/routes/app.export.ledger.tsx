import { prisma } from "../db.server";
import { CSV_TYPE, exportLedger } from "../services/exports/csv-export.server";
import { downloadRoute } from "../http/download-route.server";

// /app/export/ledger: the shop's whole points history as CSV, streamed. POST (the Export
// button's authenticated fetch) answers a signed link; GET with it downloads the file.
const route = downloadRoute(
  async (shop) => ({
    name: "regulars-points-history.csv",
    type: CSV_TYPE,
    open: () => exportLedger(prisma, shop),
  }),
  () => "Nothing to export",
);
export const loader = route.loader;
export const action = route.action;
