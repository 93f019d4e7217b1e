/**
 * What the live theme shows of Regulars: whether the rewards launcher (app
 * embed) is on, read from the main theme's config/settings_data.json
 * (`current.blocks`, with its `disabled` flag), and whether the loyalty status
 * block sits in a JSON template (templates/*.json) or a section group
 * (sections/*.json: header-group.json, footer-group.json, ...). App blocks
 * appear there as `shopify://apps/<app>/blocks/<handle>/<uuid>`
 * (https://shopify.dev/docs/apps/build/online-store/theme-app-extensions/configuration#detecting-app-blocks-and-app-embed-blocks;
 * section groups hold "the same sections and app blocks referenced in
 * templates": https://shopify.dev/docs/storefronts/themes/architecture/section-groups).
 *
 * The theme's `files` connection is paginated, and Shopify may return fewer
 * files than asked "to stay within the payload size limit" (OnlineStoreTheme.files
 * in the 2026-10 schema), so every page is read, up to MAX_FILE_PAGES, and the
 * reading stops early once both are found. Needs the read_themes scope.
 */
import type { MainThemeFilesQuery } from "../../types/admin.generated";
import { AdminApiError, type AdminGraphql, runQuery } from "./admin-client.server";

/** Files a page (the query's `first`): its cost grows with it, 2 + 2 a file, far under 1,000 a query. */
const FILES_PER_PAGE = 100;
/** More pages than this (5,000 JSON files) is not a theme we can read within a page load: unknown. */
const MAX_FILE_PAGES = 50;

const MAIN_THEME_FILES = `#graphql
  query MainThemeFiles($first: Int!, $after: String) {
    themes(first: 1, roles: [MAIN]) {
      nodes {
        id
        name
        files(
          filenames: ["config/settings_data.json", "templates/*.json", "sections/*.json"]
          first: $first
          after: $after
        ) {
          nodes {
            filename
            body {
              ... on OnlineStoreThemeFileBodyText {
                content
              }
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
          userErrors {
            code
            filename
          }
        }
      }
    }
  }
`;

/** The theme app extension's blocks, by file name in extensions/regulars-theme/blocks. */
const EMBED_HANDLE = "rewards-launcher";
const BLOCK_HANDLE = "loyalty-status";

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

/** Files where an app block can sit: JSON templates and section groups. */
const holdsAppBlocks = (filename: string) =>
  /^templates\/.+\.json$/.test(filename) || /^sections\/[^/]+\.json$/.test(filename);

/** The state with one more file read. */
function addFile(state: ThemeState, file: { filename: string; content: string | null }): ThemeState {
  if (file.content === null) return state;
  const embed = blockType(EMBED_HANDLE);
  const block = blockType(BLOCK_HANDLE);
  let json: unknown;
  try {
    json = parseThemeJson(file.content);
  } catch {
    throw new AdminApiError(`${file.filename} of the main theme is not JSON`);
  }
  let { embedActive, blockAdded } = state;
  for (const found of blocksOf(json)) {
    if (found.disabled === true) continue;
    if (file.filename === "config/settings_data.json" && embed.test(found.type)) embedActive = true;
    if (holdsAppBlocks(file.filename) && block.test(found.type)) blockAdded = true;
  }
  return { ...state, embedActive, blockAdded };
}

export async function fetchThemeState(admin: AdminGraphql): Promise<ThemeState> {
  let state: ThemeState | null = null;
  let themeId: string | null = null;
  let after: string | null = null;
  for (let page = 0; page < MAX_FILE_PAGES; page++) {
    const data: MainThemeFilesQuery = await runQuery<MainThemeFilesQuery>(
      admin,
      MAIN_THEME_FILES,
      after ? { first: FILES_PER_PAGE, after } : { first: FILES_PER_PAGE },
    );
    const theme = data.themes?.nodes[0];
    if (!theme) throw new AdminApiError("the shop has no published theme");
    // The merchant published another theme while its pages were read: its cursor means nothing here.
    if (themeId !== null && theme.id !== themeId)
      throw new AdminApiError("the published theme changed; ask again");
    themeId = theme.id;
    const files = theme.files;
    if (!files) throw new AdminApiError("Shopify did not list the main theme's files");
    if (files.userErrors.length > 0) {
      throw new AdminApiError(
        `Shopify could not read the main theme's files: ${files.userErrors
          .map((error) => `${error.filename} (${error.code})`)
          .join(", ")}`,
      );
    }
    state = files.nodes
      .map((file) => ({
        filename: file.filename,
        content: "content" in file.body ? file.body.content : null,
      }))

      .reduce(addFile, state ?? { themeName: theme.name, embedActive: false, blockAdded: false });
    if ((state.embedActive && state.blockAdded) || !files.pageInfo.hasNextPage) return state;
    after = files.pageInfo.endCursor ?? null;
    if (!after) throw new AdminApiError("Shopify said the main theme has more files but gave no cursor");
  }
  throw new AdminApiError(`the main theme has more than ${MAX_FILE_PAGES * FILES_PER_PAGE} JSON files`);
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
