/**
 * The app's configuration as Shopify reads it: shopify.app.toml (webhook
 * subscriptions, app proxy, required and optional scopes) and the extensions in extensions/ (Flow
 * triggers and actions, the theme app extension).
 */
import { readdirSync, readFileSync } from "node:fs";
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

export function flowTriggerExtensions(root = "extensions"): FlowTriggerExtension[] {
  return readdirSync(root)
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

interface FlowActionField {
  /** customer_reference, or a custom field's type (number_integer, single_line_text_field...). */
  type: string;
  /** The property's key in Flow's request; customer_id for the customer reference. */
  key: string;
  name: string;
  required: boolean;
}

export interface FlowActionExtension {
  folder: string;
  handle: string;
  name: string;
  runtimeUrl: string;
  fields: FlowActionField[];
}

type ActionToml = {
  extensions?: Record<string, unknown>[];
  settings?: { fields?: Record<string, unknown>[] };
};

/** Keys Shopify CLI accepts on an action's field (validateFieldShape: strict objects). */
const CUSTOM_FIELD_KEYS = new Set(["type", "key", "name", "description", "required"]);
const REFERENCE_FIELD_KEYS = new Set([
  "type",
  "description",
  "required",
  "marketingActivityCreateUrl",
  "marketingActivityDeleteUrl",
]);

/**
 * The Flow action extensions in extensions/, read and checked as Shopify CLI
 * checks them when it deploys (the offline CLI does not): the flow_action
 * specification wants an absolute https runtime_url, and each custom field a
 * string `key` and `name` and nothing else than `description` and `required`
 * (https://github.com/Shopify/cli/blob/main/packages/app/src/cli/models/extensions/specifications/flow_action.ts,
 * packages/app/src/cli/services/flow/validation.ts). A toml that breaks them throws, naming it.
 * The customer reference arrives in Flow's request as properties.customer_id
 * (https://shopify.dev/docs/apps/build/flow/actions/reference).
 */
export function flowActionExtensions(root = "extensions"): FlowActionExtension[] {
  const found: FlowActionExtension[] = [];
  for (const folder of readdirSync(root)) {
    const file = path.join(root, folder, "shopify.extension.toml");
    const toml = parse(readFileSync(file, "utf8")) as unknown as ActionToml;
    const extension = (toml.extensions ?? []).find((e) => e.type === "flow_action");
    if (!extension) continue;
    const wrong = (why: string) => new Error(`${file}: ${why}`);
    const { handle, name, runtime_url: runtimeUrl } = extension;
    if (typeof handle !== "string" || !/^[a-zA-Z0-9-]{1,30}$/.test(handle))
      throw wrong("handle must be 1-30 letters, digits or hyphens");
    if (typeof name !== "string" || name.trim() === "") throw wrong("name is required");
    if (typeof runtimeUrl !== "string" || !URL.canParse(runtimeUrl) || !runtimeUrl.startsWith("https://"))
      throw wrong("runtime_url must be an absolute https URL");
    const fields = (toml.settings?.fields ?? []).map((field, index): FlowActionField => {
      const where = `settings.fields[${index}]`;
      if (typeof field.type !== "string") throw wrong(`${where}: type is required`);
      const reference = field.type.endsWith("_reference");
      const allowed = reference ? REFERENCE_FIELD_KEYS : CUSTOM_FIELD_KEYS;
      const extra = Object.keys(field).filter((key) => !allowed.has(key));
      if (extra.length > 0) throw wrong(`${where}: Shopify CLI does not take ${extra.join(", ")}`);
      if (field.required !== undefined && typeof field.required !== "boolean")
        throw wrong(`${where}: required must be true or false`);
      if (reference) {
        if (field.type !== "customer_reference") throw wrong(`${where}: only the customer is a subject here`);
        return { type: field.type, key: "customer_id", name: "Customer", required: field.required === true };
      }
      if (typeof field.key !== "string" || typeof field.name !== "string")
        throw wrong(`${where}: a custom field needs a string key and name`);
      return { type: field.type, key: field.key, name: field.name, required: field.required === true };
    });
    found.push({ folder, handle, name, runtimeUrl, fields });
  }
  return found;
}

/**
 * The Flow trigger lifecycle callback extension, if the app has one: where
 * Flow sends it (`url`, relative to the app's URL as Shopify CLI resolves it:
 * appRelativeUrlFields in
 * https://github.com/Shopify/cli/blob/main/packages/app/src/cli/models/extensions/specifications/flow_trigger_lifecycle_callback.ts).
 */
export function flowLifecycleCallback(root = "extensions"): { handle: string; url: string } | null {
  for (const folder of readdirSync(root)) {
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
  /** Where the app is served; a Flow action's runtime_url starts with it. */
  applicationUrl: string;
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
  application_url: string;
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
    applicationUrl: toml.application_url,
    scopes: toml.access_scopes.scopes,
    optionalScopes: toml.access_scopes.optional_scopes ?? [],
    webhooks,
    webhookApiVersion: toml.webhooks.api_version,
    proxy: toml.app_proxy,
  };
}

/** The theme app extension's folder (blocks, snippets, assets, locales). */
export const THEME_EXTENSION = path.resolve("extensions/regulars-theme");
