/**
 * The app's configuration as Shopify reads it: shopify.app.toml (webhook
 * subscriptions, app proxy, required and optional scopes) and the extensions in extensions/ (Flow
 * triggers, the theme app extension).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";

export interface FlowTriggerExtension {
  folder: string;
  handle: string;
  name: string;
  /** Payload keys: customer_id for the customer reference, then each custom field's key. */
  payloadKeys: string[];
}

type ExtensionToml = {
  extensions?: { type: string; handle: string; name: string }[];
  settings?: { fields?: { type: string; key?: string }[] };
};

/**
 * The folders of extensions/ that are extensions: those with a shopify.extension.toml, as Shopify
 * CLI finds them (extensions/shared holds code the UI extensions import).
 */
const extensionFolders = (root: string) =>
  readdirSync(root).filter((folder) => existsSync(path.join(root, folder, "shopify.extension.toml")));

export function flowTriggerExtensions(root = "extensions"): FlowTriggerExtension[] {
  return extensionFolders(root)
    .map((folder) => ({ folder, file: path.join(root, folder, "shopify.extension.toml") }))
    .map(({ folder, file }) => ({
      folder,
      toml: parse(readFileSync(file, "utf8")) as unknown as ExtensionToml,
    }))
    .filter(({ toml }) => (toml.extensions ?? []).some((extension) => extension.type === "flow_trigger"))
    .map(({ folder, toml }) => ({
      folder,
      handle: toml.extensions![0]!.handle,
      name: toml.extensions![0]!.name,
      payloadKeys: (toml.settings?.fields ?? []).map((field) =>
        field.type === "customer_reference" ? "customer_id" : field.key!,
      ),
    }));
}

/**
 * The Flow trigger lifecycle callback extension, if the app has one: where
 * Flow sends it (`url`, relative to the app's URL as Shopify CLI resolves it:
 * appRelativeUrlFields in
 * https://github.com/Shopify/cli/blob/main/packages/app/src/cli/models/extensions/specifications/flow_trigger_lifecycle_callback.ts).
 */
export function flowLifecycleCallback(root = "extensions"): { handle: string; url: string } | null {
  for (const folder of extensionFolders(root)) {
    const toml = parse(
      readFileSync(path.join(root, folder, "shopify.extension.toml"), "utf8"),
    ) as unknown as {
      extensions?: { type: string; handle: string; url?: string }[];
    };
    const callback = (toml.extensions ?? []).find((e) => e.type === "flow_trigger_lifecycle_callback");
    if (callback?.url) return { handle: callback.handle, url: callback.url };
  }
  return null;
}

export interface AppConfig {
  handle: string;
  /** [access_scopes] scopes: granted at install (comma-separated). */
  scopes: string;
  /** [access_scopes] optional_scopes: granted only when the merchant accepts a request. */
  optionalScopes: string[];
  /** topic → path on the app, e.g. orders/paid → /webhooks/orders/paid. */
  webhooks: Map<string, string>;
  webhookApiVersion: string;
  proxy: { url: string; prefix: string; subpath: string };
}

type AppToml = {
  handle: string;
  access_scopes: { scopes: string; optional_scopes?: string[] };
  webhooks: {
    api_version: string;
    subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[];
  };
  app_proxy: { url: string; prefix: string; subpath: string };
};

export function readAppConfig(file = "shopify.app.toml"): AppConfig {
  const toml = parse(readFileSync(file, "utf8")) as unknown as AppToml;
  const webhooks = new Map<string, string>();
  for (const subscription of toml.webhooks.subscriptions) {
    for (const topic of [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])]) {
      webhooks.set(topic, subscription.uri);
    }
  }
  return {
    handle: toml.handle,
    scopes: toml.access_scopes.scopes,
    optionalScopes: toml.access_scopes.optional_scopes ?? [],
    webhooks,
    webhookApiVersion: toml.webhooks.api_version,
    proxy: toml.app_proxy,
  };
}

/** The theme app extension's folder (blocks, snippets, assets, locales). */
export const THEME_EXTENSION = path.resolve("extensions/regulars-theme");
