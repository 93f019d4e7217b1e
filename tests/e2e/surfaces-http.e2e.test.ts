/**
 * The shopper surfaces (/surfaces/*) through `npm start`'s server on the production build, as
 * the UI extensions reach them from Shopify's origins: the CORS preflight of a fixed path (which
 * the server routes directly, scripts/resource-routes.mjs) and of a path with a parameter (which
 * goes to Remix), an answer with a session token signed as Shopify signs it (Shopify's test
 * helper getJwt), a forged one refused, and a body over the surfaces' limit refused before it is
 * read (app/http/request-limits.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SESSION_ENCRYPTION_KEY, freePort } from "../../devshop/launch";

const KEY = "e2e-key";
const SECRET = "e2e-secret";
const ORIGIN = "https://extensions.shopifycdn.com";
// The library answers 410 to a client it takes for a bot (isbot; Node's fetch says "node"): the
// extensions run in a browser or in the POS app.
const BROWSER =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0 Safari/537.36";
let child: ChildProcess | undefined;
let origin = "";

beforeAll(async () => {
  const port = await freePort();
  child = spawn(process.execPath, ["scripts/serve.mjs", "build/server/index.js"], {
    env: {
      ...process.env,
      SHOPIFY_API_KEY: KEY,
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: `http://localhost:${port}`,
      SCOPES: "read_orders",
      PORT: String(port),
      JOB_WORKER: "off",
      SESSION_ENCRYPTION_KEY: DEMO_SESSION_ENCRYPTION_KEY,
      DATA_DIR: "memory://",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes("[regulars] http")) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`the server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  origin = `http://127.0.0.1:${port}`;
}, 90_000);
afterAll(() => {
  if (child?.exitCode === null) child.kill("SIGKILL");
});

const token = async (claims: Record<string, unknown>, secret = SECRET) =>
  (await getJwt("surface-shop", KEY, secret, claims)).token;

describe("the surfaces on npm start's server", () => {
  it("answer the preflight of a fixed path and of a path with a parameter", async () => {
    for (const path of [
      "/surfaces/checkout/redeem",
      "/surfaces/customer-account/status",
      "/surfaces/pos/customers/42/redeem",
    ]) {
      const res = await fetch(`${origin}${path}`, {
        method: "OPTIONS",
        headers: {
          "User-Agent": BROWSER,
          Origin: ORIGIN,
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "authorization,content-type",
        },
      });
      expect(res.status, path).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("access-control-allow-headers")).toContain("Authorization");
    }
  });

  it("answer a signed token with JSON and CORS headers, and refuse a forged one", async () => {
    const guest = await fetch(`${origin}/surfaces/checkout/status`, {
      headers: {
        "User-Agent": BROWSER,
        Origin: ORIGIN,
        Authorization: `Bearer ${await token({ sub: undefined })}`,
      },
    });
    expect(guest.status).toBe(200);
    expect(guest.headers.get("access-control-allow-origin")).toBe("*");
    expect(await guest.json()).toMatchObject({ loggedIn: false, customer: null, reason: "no_customer" });
    const order = await fetch(`${origin}/surfaces/customer-account/orders/1001`, {
      headers: {
        "User-Agent": BROWSER,
        Origin: ORIGIN,
        Authorization: `Bearer ${await token({ sub: "gid://shopify/Customer/7" })}`,
      },
    });
    expect(order.status).toBe(200);
    expect((await order.json()).order.state).toBe("not_yet_received");
    const forged = await fetch(`${origin}/surfaces/checkout/status`, {
      headers: {
        "User-Agent": BROWSER,
        Origin: ORIGIN,
        Authorization: `Bearer ${await token({ sub: undefined }, "not-the-secret")}`,
      },
    });
    expect(forged.status).toBe(401);
  });

  it("refuse a body over 16 KiB before reading it", async () => {
    const res = await fetch(`${origin}/surfaces/checkout/estimate`, {
      method: "POST",
      headers: {
        "User-Agent": BROWSER,
        Origin: ORIGIN,
        Authorization: `Bearer ${await token({ sub: undefined })}`,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ subtotal: { amount: "1.00", currencyCode: "EUR" }, pad: "x".repeat(20_000) }),
    });
    expect(res.status).toBe(413);
  });
});
