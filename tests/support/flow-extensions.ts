/** The Flow trigger extensions in extensions/, as Shopify CLI would read them. */
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

type Toml = {
  extensions?: { type: string; handle: string; name: string }[];
  settings?: { fields?: { type: string; key?: string }[] };
};

export function flowTriggerExtensions(root = "extensions"): FlowTriggerExtension[] {
  return readdirSync(root)
    .map((folder) => ({ folder, file: path.join(root, folder, "shopify.extension.toml") }))
    .map(({ folder, file }) => ({ folder, toml: parse(readFileSync(file, "utf8")) as unknown as Toml }))
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
