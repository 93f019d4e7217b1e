/**
 * Errors and logs of `npm start`'s server on the build, against devshop:
 *   - a correctly signed app proxy request for shop=evil.com is a 400 (the
 *     library's InvalidShopError was a 500 with a stack);
 *   - a form post from another site (a foreign Origin) is a 403 with one
 *     log line (Remix's guard answered 500 with a stack);
 *   - a client that goes away in the middle of its body is one log line,
 *     not a stack;
 *   - the import's error report quotes at most 100 characters of a value,
 *     however long the cell (a 4.9 MB one came back whole);
 *   - the members export defuses every cell a spreadsheet could run as a
 *     formula, behind blanks and in full-width forms too.
 * Needs `npm run build`; runs in the e2e project (E2E=1).
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv, startsLikeFormula } from "~/loyalty/csv";
import { adminFetch, BROWSER_USER_AGENT } from "../../devshop/admin-session";
import { DEMO_APP } from "../../devshop/launch";
import { signProxyQuery } from "../../devshop/storefront";
import { privateBuild, startRealApp, type RealApp } from "../support/real-app";

const SHOP = "error-answers.myshopify.com";
let build: ReturnType<typeof privateBuild>;
let real: RealApp;
let admin: ReturnType<typeof adminFetch>;

beforeAll(async () => {
  build = privateBuild();
  real = await startRealApp({ shop: SHOP, buildDir: build.dir });
  admin = adminFetch(DEMO_APP, real.appUrl, SHOP);
}, 180_000);
afterAll(async () => {
  await real?.stop();
  build?.remove();
});

/** What the server printed while `work` ran. */
async function logged(work: () => Promise<unknown>, settleMs = 500): Promise<string> {
  const before = real.app.output().length;
  await work();
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return real.app.output().slice(before);
}
const lines = (text: string) => text.split("\n").filter((line) => line.trim() !== "");

describe("app proxy", () => {
  it("answers 400 to a correctly signed request for a shop that is not a Shopify shop, logging no stack", async () => {
    const signed = (path: string, shop: string) => {
      const query = new URLSearchParams({
        shop,
        logged_in_customer_id: "42",
        path_prefix: "/apps/regulars",
        timestamp: String(Math.trunc(Date.now() / 1000)),
      });
      query.set("signature", signProxyQuery(query, DEMO_APP.apiSecret));
      return `${real.appUrl}/proxy/${path}?${query}`;
    };
    const output = await logged(async () => {
      for (const shop of ["evil.com", "error-answers.myshopify.com.evil.com"]) {
        expect((await fetch(signed("status", shop))).status, shop).toBe(400);
        const redeem = await fetch(signed("redeem", shop), {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: '{"rewardKey":"5-off","idempotencyKey":"evil-shop-1"}',
        });
        expect(redeem.status, shop).toBe(400);
      }
    });
    expect(output).not.toMatch(/InvalidShopError|\n\s+at /);
  });
});

describe("a form post from another site", () => {
  const post = (path: string, origin: string) =>
    admin(path, {
      method: "POST",
      headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
      body: "rate=1000",
    });

  it("to a single-fetch action (.data) is refused with 403 and one log line", async () => {
    let status = 0;
    const output = await logged(async () => {
      status = (await post("/app/program.data", "https://evil.example")).status;
    });
    expect(status).toBe(403);
    expect(lines(output)).toEqual([
      "[regulars] refused a cross-origin POST /app/program.data (Origin: https://evil.example)",
    ]);
  });

  // Remix answers a document POST itself (500) before any of the app's code can change the answer:
  // scripts/http-server.mjs asks the build's refuseCrossOriginAction first (see
  // app/cross-origin-actions.server.ts).
  it("to a page is refused with 403 and one log line", async () => {
    let status = 0;
    const output = await logged(async () => {
      status = (await post("/app/program", "https://evil.example")).status;
    });
    expect(status).toBe(403);
    expect(lines(output)).toHaveLength(1);
  });

  // A resource route answers cross-origin callers itself (Remix guards only documents and
  // single-fetch actions): the UI extensions POST from Shopify's extension origin with a session
  // token, to paths with a parameter that Remix routes.
  it("to a resource route with a parameter reaches the route", async () => {
    const res = await fetch(`${real.appUrl}/surfaces/pos/customers/1/redeem`, {
      method: "POST",
      headers: {
        Origin: "https://extensions.shopifycdn.com",
        "Content-Type": "application/json",
        "User-Agent": BROWSER_USER_AGENT,
      },
      body: '{"rewardKey":"5-off","idempotencyKey":"cross-origin-1"}',
    });
    // No session token: the library's 401, not the cross-origin 403.
    expect(res.status).toBe(401);
  });

  it("from the app's own origin is not refused", async () => {
    const res = await post("/app/program.data", real.appUrl);
    expect(res.status).not.toBe(403);
    expect(res.status).toBeLessThan(500);
  });
});

describe("a client that goes away in the middle of its body", () => {
  /** Sends the headers and part of a body, then closes the connection. */
  const abandon = (path: string, contentLength: number) =>
    new Promise<void>((resolve, reject) => {
      const socket = connect(real.port, "127.0.0.1", () => {
        // A webhook's headers as Shopify sends them (the server refuses a delivery without them unread).
        const webhook = path.startsWith("/webhooks/")
          ? `X-Shopify-Hmac-Sha256: c2lnbmVk\r\nX-Shopify-Shop-Domain: ${SHOP}\r\nX-Shopify-Topic: orders/paid\r\n`
          : "";
        socket.write(
          `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${real.port}\r\nContent-Type: application/json\r\n` +
            `${webhook}Content-Length: ${contentLength}\r\n\r\n{"id":`,
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 300);
      });
      socket.on("error", reject);
    });

  it("is one log line, not a stack, for a webhook and for a page", async () => {
    for (const path of ["/webhooks/orders/paid", "/app/program"]) {
      const output = await logged(() => abandon(path, 5_000));
      expect(lines(output), path).toHaveLength(1);
      expect(output, path).not.toContain("    at ");
    }
  });
});

describe("the balance import's error report", () => {
  it("quotes at most 100 characters of a bad value, however long the cell", async () => {
    const form = new FormData();
    const cell = "x".repeat(4_900_000);
    form.set("csv", new File([`email,points\n${cell},5\n`], "balances.csv", { type: "text/csv" }));
    form.set("mode", "add");
    form.set("intent", "dry-run");
    const res = await admin("/app/import.data", { method: "POST", body: form });
    const body = await res.text();
    expect(body).toContain(`${"x".repeat(100)}…`);
    expect(body).not.toContain("x".repeat(101));
    expect(body.length).toBeLessThan(5_000);
  });
});

describe("the members export", () => {
  it("defuses every cell a spreadsheet could run as a formula", async () => {
    // Shopify (and devshop) trim names, but not a zero-width space: behind it, "=" still starts a formula.
    const names = ['\u200B=HYPERLINK("http://evil.example")', "\uFF1D1+1", "@SUM(A1)", "\uFE62cmd", "Plain"];
    names.forEach((firstName, i) =>
      real.devshop.commerce.createCustomer(real.devshop.state.shop(SHOP), {
        email: `formula-${i}@example.com`,
        firstName,
        lastName: "+cmd|' /C calc'!A0",
      }),
    );
    await real.devshop.webhooks.idle();
    let rows: string[][] = [];
    await expect
      .poll(
        async () => {
          const res = await admin("/app/export/members");
          rows = parseCsv(await res.text()).map((row) => row.fields);
          return rows.length;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(names.length + 1);
    const [header, ...members] = rows;
    const first = header!.indexOf("first_name");
    expect(members.map((row) => row[first]).sort()).toEqual(
      names.map((name) => (name === "Plain" ? name : `'${name}`)).sort(),
    );
    for (const row of members) for (const cell of row) expect(startsLikeFormula(cell), cell).toBe(false);
  });
});
