import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhookRequest } from "../services/webhook-route.server";

export const action = ({ request }: ActionFunctionArgs) => handleWebhookRequest(request);
