import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { PROXY_PATH_IN_APP_TOML, proxyPathOf } from "~/shopify/requests/app-proxy.server";
import { ADMIN_API_VERSION } from "~/shopify/api-version";
import { readAppConfig } from "../../devshop/app-config";
import { accessTokenEndpoint, sessionToken } from "../../devshop/tokens";
import { DevshopState } from "../../devshop/state";

const root = path.resolve(__dirname, "../..");
const tomlText = readFileSync(path.join(root, "shopify.app.toml"), "utf8");
const config = parse(tomlText) as {
  build?: Record<string, unknown>;
  access_scopes: { scopes: string; optional_scopes?: string[]; use_legacy_install_flow?: boolean };
  webhooks: {
    api_version: string;
    subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[];
  };
  app_proxy: { url: string; prefix: string; subpath: string };
};

/** Remix flat route file for a URI: /webhooks/orders/paid -> app/routes/webhooks.orders.paid.tsx */
const routeFile = (uri: string) =>
  path.join(root, "app/routes", `${uri.replace(/^\//, "").replaceAll("/", ".")}.tsx`);

const list = (scopes: string) =>
  scopes
    .split(",")
    .map((scope) => scope.trim())
    .filter(Boolean)
    .sort();

/** SCOPES as .env.example sets it. */
const envExampleScopes = () => {
  const line = readFileSync(path.join(root, ".env.example"), "utf8")
    .split("\n")
    .find((l) => l.startsWith("SCOPES="));
  return list(line?.slice("SCOPES=".length) ?? "");
};

describe("shopify.app.toml", () => {
  it("declares the scopes and topics the product needs, on the API version the code speaks", () => {
    expect(list(config.access_scopes.scopes)).toEqual(
      [
        "read_customers",
        "read_orders",
        "read_themes",
        "write_app_proxy",
        "write_customers",
        "write_discounts",
      ].sort(),
    );
    expect(config.webhooks.api_version).toBe(ADMIN_API_VERSION);
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

  it("asks for orders older than 60 days, products and store credit only as optional scopes, with Shopify-managed install", () => {
    // read_all_orders needs Shopify's approval: required, it would block every install without it.
    // Store credit is asked for when the merchant adds a store credit reward, products when they
    // limit a bonus event to collections (issue 24).
    expect(config.access_scopes.optional_scopes).toEqual([
      "read_all_orders",
      "read_products",
      "read_store_credit_accounts",
      "write_store_credit_account_transactions",
    ]);
    expect(list(config.access_scopes.scopes)).not.toContain("write_store_credit_account_transactions");
    expect(list(config.access_scopes.scopes)).not.toContain("read_all_orders");
    expect(list(config.access_scopes.scopes)).not.toContain("read_products");
    // Shopify-managed installation (token exchange): the legacy OAuth install flow is off.
    expect(config.access_scopes.use_legacy_install_flow).toBe(false);
  });

  it("configures the app proxy with the write_app_proxy scope Shopify requires for it", () => {
    // https://shopify.dev/docs/apps/build/online-store/app-proxies
    expect(list(config.access_scopes.scopes)).toContain("write_app_proxy");
  });

  it("has no include_config_on_deploy: the CLI no longer supports it and removes it on deploy", () => {
    // Shopify/cli packages/app/src/cli/services/context.ts (removeIncludeConfigOnDeployField).
    expect(config.build ?? {}).not.toHaveProperty("include_config_on_deploy");
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

describe("one list of scopes", () => {
  it(".env.example's SCOPES, the toml's scopes and what devshop grants at install are the same", () => {
    const toml = list(config.access_scopes.scopes);
    expect(envExampleScopes()).toEqual(toml);
    // devshop grants what Shopify-managed install grants: the required scopes, not the optional ones.
    const app = { apiKey: "key", apiSecret: "secret" };
    const state = DevshopState.open(null);
    const now = new Date("2026-06-01T12:00:00Z");
    const devshop = readAppConfig(path.join(root, "shopify.app.toml"));
    const answer = accessTokenEndpoint({
      app,
      params: {
        client_id: app.apiKey,
        client_secret: app.apiSecret,
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: sessionToken(app, "one.myshopify.com", now),
        expiring: "1",
      },
      shopFor: (domain) => state.ensureShop(domain, domain),
      shops: Object.values(state.data.shops),
      config: devshop,
      now,
    });
    expect(answer.status).toBe(200);
    expect(list(String(answer.body.scope))).toEqual(toml);
    expect(devshop.optionalScopes).toEqual([
      "read_all_orders",
      "read_products",
      "read_store_credit_accounts",
      "write_store_credit_account_transactions",
    ]);
  });
});
