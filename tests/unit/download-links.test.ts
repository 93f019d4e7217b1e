import { describe, expect, it } from "vitest";
import { checkDownloadLink, LINK_SECONDS, signDownloadLink } from "~/services/exports/download-links.server";

const SECRET = "app-secret";
const SHOP = "maple.myshopify.com";
const NOW = new Date("2026-11-02T10:00:00Z");
const url = (pathAndQuery: string) => new URL(pathAndQuery, "https://app.example.com");
const link = (pathname = "/app/export/members", now = NOW) =>
  url(signDownloadLink({ secret: SECRET, shop: SHOP, pathname, now }));

describe("download links", () => {
  it("a link proves its shop for its own path until it expires", () => {
    expect(checkDownloadLink(link(), SECRET, NOW)).toEqual({ status: "valid", shop: SHOP });
    const last = new Date(NOW.getTime() + LINK_SECONDS * 1000);
    expect(checkDownloadLink(link(), SECRET, last)).toEqual({ status: "valid", shop: SHOP });
    expect(checkDownloadLink(link(), SECRET, new Date(last.getTime() + 1000))).toEqual({
      status: "invalid",
      reason: "expired",
    });
  });

  it("a URL without a signature proves nothing, and says so", () => {
    expect(checkDownloadLink(url("/app/export/members?shop=x"), SECRET, NOW)).toEqual({ status: "none" });
  });

  it("refuses a link moved to another path or shop, given more time, or signed with another secret", () => {
    const good = link();
    const moved = new URL(good);
    moved.pathname = "/app/export/ledger";
    const otherShop = new URL(good);
    otherShop.searchParams.set("shop", "rival.myshopify.com");
    const longer = new URL(good);
    longer.searchParams.set("expires", String(Number(good.searchParams.get("expires")) + 3600));
    const bad = { status: "invalid", reason: "bad signature" };
    expect(checkDownloadLink(moved, SECRET, NOW)).toEqual(bad);
    expect(checkDownloadLink(otherShop, SECRET, NOW)).toEqual(bad);
    expect(checkDownloadLink(longer, SECRET, NOW)).toEqual(bad);
    expect(checkDownloadLink(good, "another-secret", NOW)).toEqual(bad);
    const malformed = new URL(good);
    malformed.searchParams.set("expires", "soon");
    expect(checkDownloadLink(malformed, SECRET, NOW)).toEqual({ status: "invalid", reason: "malformed" });
  });
});
