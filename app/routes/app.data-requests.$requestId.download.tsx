import { prisma } from "../db.server";
import { dataRequestFile } from "../services/privacy/data-requests.server";
import { downloadRoute } from "../http/download-route.server";

// /app/data-requests/:requestId/download: everything Regulars holds on the request's customer,
// as JSON. POST (the "Download data" button's authenticated fetch) answers a signed link; GET
// with it downloads the file.
const route = downloadRoute(
  (shop, params) => dataRequestFile(prisma, shop, params.requestId ?? ""),
  (strings) => strings.dataRequests.notFound,
);
export const loader = route.loader;
export const action = route.action;
