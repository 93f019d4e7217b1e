/**
 * The merchant's theme as the control page sets it (POST
 * /devshop/api/shops/{shop}/theme): the app embed on or off, the loyalty block
 * nowhere, on a template or in a section group, and how many alternate product
 * templates the theme has (enough of them and its files run to several pages).
 * Bad input is refused and changes nothing.
 */
import { DevshopError } from "./commerce";
import { themeFiles } from "./admin-resolvers";
import type { ShopState, ThemeState } from "./state";

const MAX_EXTRA_TEMPLATES = 1000;

export function setTheme(shop: ShopState, params: Record<string, unknown>): ThemeState {
  const current = shop.theme ?? { embedActive: false, blockAdded: false };
  const flag = (value: unknown) => value === true || value === "true" || value === "on";
  const extra =
    params.extraTemplates === undefined || params.extraTemplates === ""
      ? (current.extraTemplates ?? 0)
      : Number(params.extraTemplates);
  if (!Number.isInteger(extra) || extra < 0 || extra > MAX_EXTRA_TEMPLATES) {
    throw new DevshopError(`extraTemplates must be a whole number from 0 to ${MAX_EXTRA_TEMPLATES}`);
  }
  const next: ThemeState = {
    ...current,
    embedActive: params.embedActive === undefined ? current.embedActive : flag(params.embedActive),
    extraTemplates: extra,
  };
  if (params.blockIn !== undefined) {
    const blockIn = String(params.blockIn);
    if (blockIn === "" || blockIn === "none") {
      next.blockAdded = false;
      delete next.blockIn;
    } else {
      // The block can only go in a JSON template or a section group the theme has.
      const files = Object.keys(themeFiles({ ...shop, theme: next }));
      if (!files.includes(blockIn) || !/^(templates|sections)\//.test(blockIn)) {
        throw new DevshopError(`blockIn must be "none" or one of the theme's templates or section groups`);
      }
      next.blockAdded = true;
      next.blockIn = blockIn;
    }
  }
  shop.theme = next;
  return next;
}
