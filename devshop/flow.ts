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
 */
import { createHmac } from "node:crypto";
import { flowLifecycleCallback, flowTriggerExtensions } from "./app-config";
import { DevshopError } from "./commerce";
import type { ShopState } from "./state";

const TIMEOUT_MS = 5000;

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
}
