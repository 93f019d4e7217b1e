import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { PROXY_PATH_IN_APP_TOML, proxyPathOf } from "~/shopify/app-proxy.server";

const root = path.resolve(__dirname, "../..");
const tomlText = readFileSync(path.join(root, "shopify.app.toml"), "utf8");
const config = parse(tomlText) as {
  access_scopes: { scopes: string };
  webhooks: {
    api_version: string;
    subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[];
  };
  app_proxy: { url: string; prefix: string; subpath: string };
};

/** Remix flat route file for a URI: /webhooks/orders/paid -> app/routes/webhooks.orders.paid.tsx */
const routeFile = (uri: string) =>
  path.join(root, "app/routes", `${uri.replace(/^\//, "").replaceAll("/", ".")}.tsx`);

describe("shopify.app.toml", () => {
  it("declares the scopes and topics the product needs, on API 2026-10", () => {
    expect(config.access_scopes.scopes.split(",").sort()).toEqual(
      [
        "read_all_orders",
        "read_customers",
        "read_orders",
        "read_themes",
        "write_customers",
        "write_discounts",
      ].sort(),
    );
    expect(config.webhooks.api_version).toBe("2026-10");
    const topics = config.webhooks.subscriptions.flatMap((s) => [
      ...(s.topics ?? []),
      ...(s.compliance_topics ?? []),
    ]);
    expect(topics.sort()).toEqual(
      [
        "app/scopes_update",
        "app/uninstalled",
        "customers/create",
        "customers/data_request",
        "customers/redact",
        "customers/update",
        "orders/cancelled",
        "orders/paid",
        "orders/updated",
        "refunds/create",
        "shop/redact",
      ].sort(),
    );
    expect(config.app_proxy).toMatchObject({ prefix: "apps", subpath: "regulars" });
    expect(config.app_proxy.url).toMatch(/\/proxy$/);
  });

  it("every subscription has a route, named by its '# Handled by:' comment", () => {
    for (const subscription of config.webhooks.subscriptions) {
      const file = routeFile(subscription.uri);
      expect(existsSync(file), `${subscription.uri} -> ${file}`).toBe(true);
      const relative = path.relative(root, file);
      const block = tomlText.slice(0, tomlText.indexOf(`uri = "${subscription.uri}"`));
      const comment = block.slice(block.lastIndexOf("# Handled by:"));
      expect(comment.split("\n")[0]).toContain(relative);
    }
  });

  it("the app proxy is where the app's storefront code expects it until Shopify says otherwise", () => {
    const { prefix, subpath } = config.app_proxy;
    expect(`/${prefix}/${subpath}`).toBe(PROXY_PATH_IN_APP_TOML);
    expect(proxyPathOf(PROXY_PATH_IN_APP_TOML)).toBe(PROXY_PATH_IN_APP_TOML);
  });
});
