/**
 * The two halves of every file the admin downloads (exports, a customer's
 * data), for a resource route:
 *
 * - POST, from the page's button through App Bridge's authenticated fetch:
 *   checks the file exists for the session's shop and answers
 *   `{ url }`, a signed link to it good for a minute (download-links.server.ts);
 * - GET: the file, streamed, for that link; or for a request Shopify's library
 *   authenticates (a fetch with a session token). A GET with neither gets what
 *   the library gives any document request without a token (the login page).
 *
 * The file is opened only when it is sent, a page at a time as the browser
 * reads it, so a big export never sits in memory.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { AdminStrings } from "../admin/admin-strings";
import { env } from "../env.server";
import type { DownloadFile } from "../services/exports/download-file";
import { checkDownloadLink, signDownloadLink } from "../services/exports/download-links.server";
import { stringsFor } from "../admin/strings-for";
import { adminContext } from "./request-context.server";

type Params = LoaderFunctionArgs["params"];

/** The shop's file at these route params; null when there is none (another shop's, removed). */
export type FindDownload = (shop: string, params: Params) => Promise<DownloadFile | null>;

const MESSAGES = {
  expired: "This download link has expired. Go back to the app and click the button again.",
  invalid: "This download link is not valid.",
};

function fileResponse(file: DownloadFile): Response {
  return new Response(file.open(), {
    headers: {
      "Content-Type": file.type,
      "Content-Disposition": `attachment; filename="${file.name.replace(/[^\w.-]/g, "_")}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** `notFound`: the message for a file the shop does not have, in the staff member's language. */
export function downloadRoute(find: FindDownload, notFound: (strings: AdminStrings) => string) {
  const loader = async ({ request, params }: LoaderFunctionArgs) => {
    const link = checkDownloadLink(new URL(request.url), env.SHOPIFY_API_SECRET, new Date());
    if (link.status === "invalid") {
      const message = link.reason === "expired" ? MESSAGES.expired : MESSAGES.invalid;
      throw new Response(message, { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
    const context = link.status === "valid" ? null : await adminContext(request);
    const shop = link.status === "valid" ? link.shop : context!.shop;
    const file = await find(shop, params);
    if (!file) {
      // A signed link names no staff member: its 404 is in English.
      const words = context ? await context.strings() : stringsFor("en");
      throw new Response(notFound(words), { status: 404 });
    }
    return fileResponse(file);
  };

  const action = async ({ request, params }: ActionFunctionArgs) => {
    if (request.method !== "POST") return Response.json({ error: "Method not allowed" }, { status: 405 });
    const { shop, strings } = await adminContext(request);
    const file = await find(shop, params);
    if (!file) return Response.json({ error: notFound(await strings()) }, { status: 404 });
    const url = signDownloadLink({
      secret: env.SHOPIFY_API_SECRET,
      shop,
      pathname: new URL(request.url).pathname,
      now: new Date(),
    });
    return Response.json({ url, name: file.name });
  };

  return { loader, action };
}
