/**
 * The app's UI extensions as devshop finds them (extensions/*&#47;shopify.extension.toml of type
 * ui_extension, as Shopify CLI does), and the frame one extension target runs in: a page that
 * loads devshop's host (host.js) with the target's configuration and the extension's words in
 * the buyer's language. Customer accounts (customer-accounts.ts) and checkout (checkout.ts) use it.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "smol-toml";

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface UiExtension {
  handle: string;
  name: string;
  folder: string;
  targets: string[];
}

type UiExtensionToml = {
  extensions?: { type: string; handle: string; name: string; targeting?: { target: string }[] }[];
};

export function uiExtensions(root: string): UiExtension[] {
  return readdirSync(root)
    .map((folder) => path.join(root, folder, "shopify.extension.toml"))
    .filter((file) => existsSync(file))
    .flatMap((file) =>
      ((parse(readFileSync(file, "utf8")) as unknown as UiExtensionToml).extensions ?? [])
        .filter((extension) => extension.type === "ui_extension")
        .map((extension) => ({
          handle: extension.handle,
          name: extension.name,
          folder: path.dirname(file),
          targets: (extension.targeting ?? []).map((targeting) => targeting.target),
        })),
    );
}

export type HostAnswer = { status: number; body: string | Buffer; type: string } | null;

/** devshop's host scripts (/extension-host/*.js) and the built scripts (/extensions/{handle}/{file}.js). */
export function hostFile(route: string, extensionsDir: string): HostAnswer {
  if (route.startsWith("/extension-host/")) {
    const file = path.basename(route);
    if (!/^[\w-]+\.js$/.test(file) || !existsSync(path.join(HERE, file))) return null;
    return { status: 200, body: readFileSync(path.join(HERE, file)), type: "text/javascript" };
  }
  const script = /^\/extensions\/([\w-]+)\/([\w-]+\.js)$/.exec(route);
  if (!script) return null;
  const extension = uiExtensions(extensionsDir).find((candidate) => candidate.handle === script[1]);
  const file = extension && path.join(extension.folder, "dist", script[2]!);
  if (!file || !existsSync(file)) {
    return { status: 404, body: "Not built: run npm run build:extensions", type: "text/plain" };
  }
  return { status: 200, body: readFileSync(file), type: "text/javascript" };
}

/** The frame's name and its URL's query: what the page around it refers to it by. */
export const frameName = (extension: UiExtension, target: string) => `${extension.handle}-${target}`;

/** The page one target runs in, with what host.js needs (shopify-global.js's input, and where to get tokens). */
export function extensionFrame(input: {
  extension: UiExtension;
  target: string;
  locale: string;
  tokenUrl: string;
  config: Record<string, unknown>;
}): string {
  const locales = path.join(input.extension.folder, "locales");
  const read = (file: string) =>
    existsSync(path.join(locales, file))
      ? (JSON.parse(readFileSync(path.join(locales, file), "utf8")) as unknown)
      : {};
  const defaultMessages = read("en.default.json");
  const config = {
    frame: frameName(input.extension, input.target),
    target: input.target,
    locale: input.locale,
    messages: input.locale === "en" ? defaultMessages : read(`${input.locale}.json`),
    defaultMessages,
    tokenUrl: input.tokenUrl,
    script: `/extensions/${input.extension.handle}/${input.extension.handle}.js`,
    ...input.config,
  };
  // JSON inside <script>: "<" escaped so no text can close the element.
  const data = JSON.stringify(config).replace(/</g, "\\u003c");
  return `<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{margin:0;font-family:system-ui,sans-serif;color:#303030;background:transparent}</style>
<script type="application/json" id="regulars-extension-host">${data}</script>
<script type="module" src="/extension-host/host.js"></script>
</head><body></body></html>`;
}

/** The page around frames: sizes each frame to its content as host.js reports it. */
export const FRAME_SIZER = `<script>addEventListener("message",(e)=>{if(e.origin!==location.origin||!e.data||!e.data.regularsExtensionFrame)return;const f=document.querySelector('iframe[name="'+CSS.escape(e.data.regularsExtensionFrame)+'"]');if(f)f.style.height=e.data.height+"px";});</script>`;
