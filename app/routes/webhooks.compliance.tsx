import { webhookAction } from "../services/webhook-route.server";

// customers/data_request, customers/redact and shop/redact share this URI (shopify.app.toml).
export const action = webhookAction;
