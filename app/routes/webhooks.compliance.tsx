import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhookRequest } from "../services/webhook-route.server";

// customers/data_request, customers/redact and shop/redact share this URI (shopify.app.toml).
export const action = ({ request }: ActionFunctionArgs) => handleWebhookRequest(request);
