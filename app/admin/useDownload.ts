/**
 * Downloads a file from one of the app's download routes
 * (app/http/download-route.server.ts) from inside the Shopify admin.
 *
 * The page's fetch is the only request App Bridge authenticates (it adds the
 * session token: https://shopify.dev/docs/api/app-home/apis/authentication-and-data/resource-fetching-api);
 * a link or a new tab would reach the app with no token and land on the login
 * page. So the button POSTs for a signed link good for a minute, then has the
 * browser download from it: the file streams to disk, never held in the page.
 * Downloads started from the admin's frame work in desktop browsers; Shopify
 * reports blob downloads failing in its mobile app
 * (https://github.com/Shopify/shopify-app-bridge/issues/191), which a link to
 * the server avoids.
 */
import { useCallback, useState } from "react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { useStrings } from "./i18n";

export function useDownload() {
  const strings = useStrings();
  const shopify = useAppBridge();
  const [busy, setBusy] = useState<string | null>(null);
  const download = useCallback(
    async (path: string) => {
      setBusy(path);
      try {
        const response = await fetch(path, { method: "POST" });
        const answer = (await response.json().catch(() => ({}))) as { url?: unknown; error?: unknown };
        if (!response.ok || typeof answer.url !== "string") {
          const error = typeof answer.error === "string" ? answer.error : strings.download.failed;
          shopify.toast.show(error, { isError: true });
          return;
        }
        const link = document.createElement("a");
        link.href = answer.url;
        // The server names the file (Content-Disposition).
        link.download = "";
        document.body.append(link);
        link.click();
        link.remove();
        shopify.toast.show(strings.download.started);
      } catch {
        shopify.toast.show(strings.download.failed, { isError: true });
      } finally {
        setBusy(null);
      }
    },
    [shopify, strings],
  );
  return { download, busy };
}
