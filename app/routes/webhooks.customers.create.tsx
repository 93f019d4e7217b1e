import { webhookAction } from "../http/webhook-route.server";

// POST /webhooks/customers/create, as shopify.app.toml subscribes it. Every inbox topic's route is this one
// line: app/http/webhook-route.server.ts says why, scripts/resource-routes.mjs finds it.
export const action = webhookAction;
