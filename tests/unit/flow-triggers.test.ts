import { describe, expect, it } from "vitest";
import { FLOW_TRIGGERS } from "~/db/flow-events.server";
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
});
