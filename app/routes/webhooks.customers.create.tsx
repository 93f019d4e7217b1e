import { webhookAction } from "../services/webhook-route.server";

export const action = webhookAction;
