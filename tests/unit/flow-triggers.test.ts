import { describe, expect, it } from "vitest";
import { FLOW_TRIGGER_NAMES, FLOW_TRIGGERS, triggerNamed } from "~/db/flow-events.server";
import { flowLifecycleCallback } from "../../devshop/app-config";
import { routeFiles } from "../support/app-routes";
import { flowTriggerExtensions } from "../support/flow-extensions";

describe("Flow trigger extensions", () => {
  const extensions = flowTriggerExtensions();

  it("exist for every trigger the app fires, with handles Shopify accepts", () => {
    expect(extensions.map((extension) => extension.handle).sort()).toEqual(
      Object.values(FLOW_TRIGGERS).sort(),
    );
    for (const { handle, payloadKeys } of extensions) {
      expect(handle).toMatch(/^[a-z0-9-]{1,30}$/);
      expect(payloadKeys[0]).toBe("customer_id");
      expect(new Set(payloadKeys).size).toBe(payloadKeys.length);
    }
  });

  it("are named in the app as in their shopify.extension.toml, and a lifecycle callback names either", () => {
    expect(Object.fromEntries(extensions.map((extension) => [extension.handle, extension.name]))).toEqual(
      FLOW_TRIGGER_NAMES,
    );
    for (const { handle, name } of extensions) {
      expect(triggerNamed(handle)).toBe(handle);
      expect(triggerNamed(name)).toBe(handle);
    }
    expect(triggerNamed("someone-elses-trigger")).toBeNull();
  });

  it("have a lifecycle callback extension whose url is the app's route for it", () => {
    const callback = flowLifecycleCallback();
    expect(callback).toEqual({ handle: "regulars-flow-lifecycle", url: "/flow/lifecycle" });
    expect(routeFiles().map((route) => route.urlPath)).toContain(callback!.url);
  });
});
