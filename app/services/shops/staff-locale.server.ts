/**
 * The language a staff member uses the admin in. Shopify puts it on every
 * load of the app in the admin (the `locale` parameter:
 * https://shopify.dev/tutorials/update-your-app-to-support-localization;
 * each staff member picks theirs, so two people of one shop can differ).
 * A client-side navigation, a form's action or a fetch does not carry it, so
 * the load's locale is remembered for the staff member and answers those.
 * docs/decisions/0015-the-admin-locale.md.
 */
import { findStaffLocale, saveStaffLocale, type Db } from "../../db/staff-locales.server";
import { type AdminLocale, adminLocale } from "../../admin/locale";

const UNKNOWN_STAFF = /\/unknown$/;

/**
 * The staff member's admin locale for a request: the URL's `locale` (remembered when it
 * changed), else the one remembered from their last load, else English.
 */
export async function staffLocale(db: Db, shop: string, staffId: string, url: URL): Promise<AdminLocale> {
  const sent = url.searchParams.get("locale");
  if (UNKNOWN_STAFF.test(staffId)) return adminLocale(sent);
  const remembered = await findStaffLocale(db, shop, staffId);
  if (sent === null) return adminLocale(remembered);
  const locale = adminLocale(sent);
  if (locale.tag !== remembered) await saveStaffLocale(db, shop, staffId, locale.tag);
  return locale;
}
