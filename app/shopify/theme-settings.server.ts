/**
 * What the live theme shows of Regulars: whether the rewards launcher (app
 * embed) is on, read from the main theme's config/settings_data.json, and
 * whether the loyalty status block sits on a template (templates/*.json).
 * App blocks appear there as `shopify://apps/<app>/blocks/<handle>/<uuid>`.
 * Needs the read_themes scope.
 */
import type { MainThemeFilesQuery } from "../types/admin.generated";
import { AdminApiError, type AdminGraphql, runQuery } from "./admin-client.server";

export const MAIN_THEME_FILES = `#graphql
  query MainThemeFiles {
    themes(first: 1, roles: [MAIN]) {
      nodes {
        id
        name
        files(filenames: ["config/settings_data.json", "templates/*.json"], first: 50) {
          nodes {
            filename
            body {
              ... on OnlineStoreThemeFileBodyText {
                content
              }
            }
          }
        }
      }
    }
  }
`;

/** The theme app extension's blocks, by file name in extensions/regulars-theme/blocks. */
export const EMBED_HANDLE = "rewards-launcher";
export const BLOCK_HANDLE = "loyalty-status";

export interface ThemeState {
  themeName: string;
  embedActive: boolean;
  blockAdded: boolean;
}

/** Theme JSON files may start with a /* comment *\/ that Shopify writes. */
function parseThemeJson(content: string): unknown {
  return JSON.parse(content.replace(/^\s*\/\*[\s\S]*?\*\/\s*/, ""));
}

const blockType = (handle: string) => new RegExp(`^shopify://apps/[^/]+/blocks/${handle}/[^/]+$`);

/** Every block object in a theme JSON tree ({ type, disabled?, ... }). */
function* blocksOf(value: unknown): Generator<{ type: string; disabled?: unknown }> {
  if (Array.isArray(value)) {
    for (const item of value) yield* blocksOf(item);
  } else if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record.type === "string") yield record as { type: string; disabled?: unknown };
    for (const child of Object.values(record)) yield* blocksOf(child);
  }
}

/** Reads the state from the files' contents (settings_data.json and templates). */
export function themeStateOf(themeName: string, files: { filename: string; content: string | null }[]): ThemeState {
  const embed = blockType(EMBED_HANDLE);
  const block = blockType(BLOCK_HANDLE);
  let embedActive = false;
  let blockAdded = false;
  for (const file of files) {
    if (file.content === null) continue;
    let json: unknown;
    try {
      json = parseThemeJson(file.content);
    } catch {
      throw new AdminApiError(`${file.filename} of the main theme is not JSON`);
    }
    for (const found of blocksOf(json)) {
      if (file.filename === "config/settings_data.json" && embed.test(found.type) && found.disabled !== true) {
        embedActive = true;
      }
      if (file.filename.startsWith("templates/") && block.test(found.type) && found.disabled !== true) {
        blockAdded = true;
      }
    }
  }
  return { themeName, embedActive, blockAdded };
}

export async function fetchThemeState(admin: AdminGraphql): Promise<ThemeState> {
  const data = await runQuery<MainThemeFilesQuery>(admin, MAIN_THEME_FILES);
  const theme = data.themes?.nodes[0];
  if (!theme) throw new AdminApiError("the shop has no published theme");
  const files = (theme.files?.nodes ?? []).map((file) => ({
    filename: file.filename,
    content: "content" in file.body ? file.body.content : null,
  }));
  return themeStateOf(theme.name, files);
}

/**
 * Theme editor deep links: activate the app embed, or add the app block to the home page.
 * `adminOrigin` is a local Shopify's admin (SHOPIFY_ADMIN_ORIGIN), which serves the editor
 * under /store/{name}/ as admin.shopify.com does.
 */
export function themeEditorLinks(shop: string, apiKey: string, adminOrigin?: string) {
  const editor = adminOrigin
    ? `${adminOrigin}/store/${shop.replace(/\.myshopify\.com$/, "")}/themes/current/editor`
    : `https://${shop}/admin/themes/current/editor`;
  return {
    embed: `${editor}?context=apps&activateAppId=${apiKey}/${EMBED_HANDLE}`,
    block: `${editor}?template=index&addAppBlockId=${apiKey}/${BLOCK_HANDLE}&target=newAppsSection`,
  };
}
