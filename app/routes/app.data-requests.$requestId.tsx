import { prisma } from "../db.server";
import { markDataRequestDelivered } from "../services/privacy/data-requests.server";
import { adminRoute } from "../http/request-context.server";

// POST /app/data-requests/:requestId (intent=delivered): the merchant gave the customer their
// data; recorded with the staff member and the time. The download is the nested route.
export const action = adminRoute(async ({ shop, staffId, now, strings }, { request, params }) => {
  const t = (await strings()).dataRequests;
  const form = await request.formData();
  if (form.get("intent") !== "delivered") {
    return Response.json({ ok: false, error: "Unknown action" }, { status: 422 });
  }
  const marked = await markDataRequestDelivered(prisma, shop, params.requestId ?? "", staffId, now());
  if (!marked) return Response.json({ ok: false, error: t.notFound }, { status: 404 });
  return Response.json({
    ok: true,
    message: marked.delivered === "now" ? t.delivered : t.alreadyDelivered,
  });
});
