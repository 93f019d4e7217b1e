/**
 * The app's routes, read from app/routes (Remix flat routes) and from
 * shopify.app.toml, so that tests iterating over them cover a route the
 * day it is added.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";

const ROUTES_DIR = path.resolve(__dirname, "../../app/routes");

export interface RouteFile {
  /** File (or folder) name in app/routes, e.g. "app.customers.$memberId.tsx". */
  file: string;
  /** Route id as the flat-routes convention names it, e.g. "app.customers.$memberId". */
  id: string;
  /** URL path, e.g. "/app/customers/:memberId" ("_index" segments dropped, "$x_" read as ":x"). */
  urlPath: string;
}

export function routeFiles(): RouteFile[] {
  return readdirSync(ROUTES_DIR)
    .filter((name) => !/\.test\./.test(name))
    .map((file) => {
      const id = file.replace(/\.(tsx|ts)$/, "");
      const segments = id
        .split(".")
        .filter((segment) => segment !== "_index")
        // A trailing "_" only opts out of the parent's layout ("$campaignId_.codes").
        .map((segment) => segment.replace(/_$/, ""))
        .map((segment) => (segment.startsWith("$") ? `:${segment.slice(1)}` : segment));
      return { file, id, urlPath: `/${segments.join("/")}` };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Loads a route module (a file, or a folder with route.tsx). */
export async function loadRoute(route: RouteFile): Promise<{
  loader?: (args: never) => Promise<unknown>;
  action?: (args: never) => Promise<unknown>;
}> {
  const full = path.join(ROUTES_DIR, route.file);
  const target = /\.tsx?$/.test(route.file) ? full : path.join(full, "route.tsx");
  return (await import(/* @vite-ignore */ target)) as never;
}

type AppToml = {
  webhooks: { subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
};

/** Each webhook URI of shopify.app.toml with the topics Shopify delivers to it. */
export function webhookSubscriptions(): { uri: string; topics: string[] }[] {
  const toml = parse(
    readFileSync(path.resolve(__dirname, "../../shopify.app.toml"), "utf8"),
  ) as unknown as AppToml;
  return toml.webhooks.subscriptions.map((subscription) => ({
    uri: subscription.uri,
    topics: [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])],
  }));
}
