import { describe, expect, it } from "vitest";
import { adminOrderUrl, orderNumberOf } from "./admin-links";

describe("links into Shopify's admin", () => {
  it("an order GID links to the order's page in the admin", () => {
    expect(adminOrderUrl("gid://shopify/Order/5801234567")).toBe("shopify://admin/orders/5801234567");
    expect(orderNumberOf("gid://shopify/Order/5801234567")).toBe("5801234567");
  });

  it("anything else links nowhere", () => {
    for (const gid of [
      null,
      undefined,
      "",
      "gid://shopify/Customer/1",
      "gid://shopify/Order/1/x",
      "gid://shopify/Order/abc",
    ]) {
      expect(adminOrderUrl(gid)).toBeNull();
    }
  });
});
