/**
 * Shopify Flow, as far as the app sees it: a merchant turns a workflow that
 * uses one of the app's triggers on or off, and Flow sends the app's trigger
 * lifecycle callback (https://shopify.dev/docs/apps/build/flow/track-lifecycle-events):
 *   - a POST of JSON to the callback extension's url: flow_trigger_definition_id
 *     (the trigger's handle), has_enabled_flow, shop_id, shopify_domain and
 *     timestamp (ISO 8601);
 *   - signed in x-shopify-hmac-sha256: base64 HMAC-SHA256 of the body with the
 *     app's client secret;
 *   - the app has five seconds: a workflow is enabled only if it answers 2xx
 *     in time ("the merchant can't enable that workflow" otherwise); turning
 *     one off is not held back by the app's answer (Shopify documents no such
 *     refusal).
 * Every callback is logged for the control page.
 *
 * A workflow also runs the app's actions (extensions of type flow_action):
 * Flow POSTs the run to the action's runtime_url
 * (https://shopify.dev/docs/apps/build/flow/actions/endpoints), JSON with
 * shop_id, shopify_domain, action_run_id (the same on every delivery of one
 * run), handle (the extension's) and properties (customer_id for the customer
 * reference, then each field by its key), signed like the callback. Flow
 * waits 30 seconds for the answer
 * (https://help.shopify.com/en/api/embedded-apps/app-extensions/flow/flow-guidelines).
 * devshop sends a run when asked (the control page's Flow actions form, or
 * POST /devshop/api/shops/{shop}/flow-actions/{handle}); sending one run twice
 * is sending the same action_run_id again. The runtime_url's host is the
 * deployed app's, so devshop sends to its path on the app it runs, as
 * `shopify app dev` points workflows at its tunnel.
 */
import { createHmac } from "node:crypto";
import { randomUUID } from "node:crypto";
import {
  type FlowActionExtension,
  flowActionExtensions,
  flowLifecycleCallback,
  flowTriggerExtensions,
} from "./app-config";
import { DevshopError } from "./commerce";
import type { ShopState } from "./state";

const TIMEOUT_MS = 5000;
/** How long Flow waits for an action's answer. */
const ACTION_TIMEOUT_MS = 30_000;

/** An action run's JSON body, as Flow writes it. */
export function actionRunBody(input: {
  shop: string;
  handle: string;
  actionRunId: string;
  properties: Record<string, unknown>;
}): string {
  return JSON.stringify({
    shop_id: 1, // the Shop id devshop's Admin API answers (gid://shopify/Shop/1)
    shopify_domain: input.shop,
    action_run_id: input.actionRunId,
    handle: input.handle,
    properties: input.properties,
  });
}

export interface ActionRunRecord {
  at: string;
  shop: string;
  handle: string;
  actionRunId: string;
  properties: Record<string, unknown>;
  /** The app's HTTP status, "timeout" or "connection failed". */
  status: number | string;
  /** The app's answer (its text; JSON when it is JSON). */
  body: unknown;
}

/** The callback's JSON body, as Flow writes it. */
export function lifecycleCallbackBody(input: {
  shop: string;
  trigger: string;
  enabled: boolean;
  timestamp: string;
}): string {
  return JSON.stringify({
    flow_trigger_definition_id: input.trigger,
    has_enabled_flow: input.enabled,
    shop_id: 1, // the Shop id devshop's Admin API answers (gid://shopify/Shop/1)
    shopify_domain: input.shop,
    timestamp: input.timestamp,
  });
}

/** Flow's headers for a body: JSON, signed with the app's client secret. */
export function lifecycleCallbackHeaders(body: string, secret: string): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(body).digest("base64"),
  };
}

export interface LifecycleCallbackRecord {
  at: string;
  shop: string;
  trigger: string;
  enabled: boolean;
  /** The app's HTTP status, "timeout" or "connection failed"; null when the app has no callback. */
  answer: number | string | null;
}

export class FlowWorkflows {
  readonly log: LifecycleCallbackRecord[] = [];
  /** Action runs sent to the app, newest last. */
  readonly actionLog: ActionRunRecord[] = [];

  constructor(
    private readonly options: {
      appUrl: string;
      apiSecret: string;
      clock: () => Date;
      /** The extensions folder (its lifecycle callback and triggers). */
      extensions?: string;
    },
  ) {}

  /** Whether the shop has an enabled workflow using the trigger. */
  enabled(shop: ShopState, trigger: string): boolean {
    return shop.flowWorkflows?.[trigger] ?? false;
  }

  /** Turns the shop's workflow for a trigger on or off, telling the app as Flow does. */
  async set(shop: ShopState, trigger: string, enabled: boolean): Promise<LifecycleCallbackRecord> {
    if (!flowTriggerExtensions(this.options.extensions).some((extension) => extension.handle === trigger)) {
      throw new DevshopError(`The app has no Flow trigger ${trigger}`, 404);
    }
    const at = this.options.clock().toISOString();
    const record: LifecycleCallbackRecord = { at, shop: shop.domain, trigger, enabled, answer: null };
    const callback = flowLifecycleCallback(this.options.extensions);
    if (callback) record.answer = await this.send(callback.url, shop, trigger, enabled, at);
    this.log.push(record);
    if (this.log.length > 500) this.log.splice(0, this.log.length - 500);
    const accepted = typeof record.answer === "number" && record.answer >= 200 && record.answer < 300;
    if (enabled && callback && !accepted) {
      throw new DevshopError(
        `Flow could not turn the workflow on: the app answered the lifecycle callback with ${String(record.answer)}. Try again later.`,
        502,
      );
    }
    shop.flowWorkflows = { ...shop.flowWorkflows, [trigger]: enabled };
    return record;
  }

  private async send(url: string, shop: ShopState, trigger: string, enabled: boolean, at: string) {
    const body = lifecycleCallbackBody({ shop: shop.domain, trigger, enabled, timestamp: at });
    try {
      const response = await fetch(new URL(url, this.options.appUrl), {
        method: "POST",
        headers: lifecycleCallbackHeaders(body, this.options.apiSecret),
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.arrayBuffer();
      return response.status;
    } catch (error) {
      return (error as Error).name === "TimeoutError" ? "timeout" : "connection failed";
    }
  }

  /** The app's Flow actions (its flow_action extensions). */
  actions(): FlowActionExtension[] {
    return flowActionExtensions(this.options.extensions);
  }

  /**
   * Runs one of the app's actions for a customer, as a workflow does: the
   * properties are held to the extension's fields (a field it does not have,
   * or a required one missing, is refused before anything is sent); the same
   * `actionRunId` sends the same run again.
   */
  async runAction(
    shop: ShopState,
    handle: string,
    input: { customerId: string; values: Record<string, unknown>; actionRunId?: string },
  ): Promise<ActionRunRecord> {
    const action = this.actions().find((extension) => extension.handle === handle);
    if (!action) throw new DevshopError(`The app has no Flow action ${handle}`, 404);
    if (!shop.installation.installed) throw new DevshopError("The app is not installed on this shop", 409);
    const customer = shop.customers[input.customerId];
    if (!customer) throw new DevshopError(`No customer ${input.customerId} in ${shop.domain}`, 404);
    const properties: Record<string, unknown> = {};
    for (const field of action.fields) {
      if (field.key === "customer_id") {
        properties.customer_id = Number(customer.id);
        continue;
      }
      const raw = input.values[field.key];
      const value = typeof raw === "string" ? raw.trim() : raw;
      if (value === undefined || value === null || value === "") {
        if (field.required) throw new DevshopError(`${field.name} is required by ${action.name}`, 422);
        continue;
      }
      if (field.type === "number_integer") {
        const number = typeof value === "number" ? value : Number(value);
        if (!Number.isSafeInteger(number))
          throw new DevshopError(`${field.name} must be a whole number`, 422);
        properties[field.key] = number;
      } else properties[field.key] = String(value);
    }
    const unknown = Object.keys(input.values).filter((key) => !action.fields.some((f) => f.key === key));
    if (unknown.length > 0) throw new DevshopError(`${action.name} has no field ${unknown.join(", ")}`, 422);
    const actionRunId = input.actionRunId?.trim() || randomUUID();
    const body = actionRunBody({ shop: shop.domain, handle, actionRunId, properties });
    const record: ActionRunRecord = {
      at: this.options.clock().toISOString(),
      shop: shop.domain,
      handle,
      actionRunId,
      properties,
      status: "connection failed",
      body: null,
    };
    try {
      const response = await fetch(new URL(new URL(action.runtimeUrl).pathname, this.options.appUrl), {
        method: "POST",
        headers: lifecycleCallbackHeaders(body, this.options.apiSecret),
        body,
        signal: AbortSignal.timeout(ACTION_TIMEOUT_MS),
      });
      record.status = response.status;
      const text = await response.text();
      try {
        record.body = JSON.parse(text) as unknown;
      } catch {
        record.body = text;
      }
    } catch (error) {
      record.status = (error as Error).name === "TimeoutError" ? "timeout" : "connection failed";
    }
    this.actionLog.push(record);
    if (this.actionLog.length > 200) this.actionLog.splice(0, this.actionLog.length - 200);
    return record;
  }
}
