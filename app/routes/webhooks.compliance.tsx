import { webhookAction } from "../http/webhook-route.server";

// customers/data_request, customers/redact and shop/redact share this URI (shopify.app.toml).
// Every inbox topic's route is this one line: app/http/webhook-route.server.ts says why.
export const action = webhookAction;
