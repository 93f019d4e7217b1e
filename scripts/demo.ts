/**
 * `npm run demo`: Regulars working end to end with no Shopify account and no
 * network. Starts devshop (a local Shopify) and the app's production build
 * with its worker (the app migrates its embedded database on start). On the
 * first run the demo shop gets 18 months of history from before Regulars
 * (customers and orders, no webhooks: the app was not installed), then the
 * app is installed, backfills that history the way a merchant would (Bulk
 * Operation), and a few weeks of live activity follow through webhooks and
 * the storefront (orders, redemptions, codes used). Prints where to look.
 * Ctrl-C stops everything; the next run reuses the data in .demo/.
 */
import { execSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { appEnvironment, DEMO_APP, installApp, startApp } from "../devshop/launch";
import { adminFetch } from "../devshop/admin-session";
import { liveActivity, seedHistory } from "../devshop/seed";
import { startDevshop } from "../devshop/server";

const DIR = path.resolve(process.env.DEMO_DIR ?? ".demo");
const SHOP = "maple-and-pine.myshopify.com";
const DEVSHOP_PORT = Number(process.env.DEVSHOP_PORT ?? 4400);
const APP_PORT = Number(process.env.PORT ?? 3000);
const CUSTOMERS = Number(process.env.DEMO_CUSTOMERS ?? 400);

async function main() {
  mkdirSync(DIR, { recursive: true });
  if (!existsSync("build/server/index.js") || process.argv.includes("--rebuild")) {
    console.log("Building the app (npm run build)…");
    execSync("npm run build", { stdio: "inherit" });
  }
  const appUrl = `http://127.0.0.1:${APP_PORT}`;
  // The customer accounts extensions call the app at the URL they were built for.
  if (!extensionsBuiltFor(appUrl) || process.argv.includes("--rebuild")) {
    console.log("Building the UI extensions (npm run build:extensions)…");
    execSync("node scripts/build-extensions.mjs", {
      stdio: "inherit",
      env: { ...process.env, APP_URL: appUrl },
    });
  }
  const devshop = await startDevshop({
    app: DEMO_APP,
    appUrl,
    port: DEVSHOP_PORT,
    stateFile: path.join(DIR, "devshop.json"),
  });
  const shop = devshop.addShop(SHOP, "Maple & Pine");
  console.log(`devshop (a local Shopify) on ${devshop.url}`);
  const app = await startApp({
    port: APP_PORT,
    env: appEnvironment({
      devshopUrl: devshop.url,
      appUrl,
      port: APP_PORT,
      dataDir: path.join(DIR, "data"),
      scopes: devshop.config.scopes,
    }),
  });
  console.log(`Regulars on ${app.url} (embedded database in ${path.join(DIR, "data")})`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping…");
    await app.stop();
    await devshop.close();
    process.exit(0);
  };
  app.process.once("exit", (code) => {
    if (stopping) return;
    console.error(`\nThe app stopped unexpectedly (exit ${code}):\n${app.output().slice(-4000)}`);
    void devshop.close().then(() => process.exit(1));
  });
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());

  const fresh = Object.keys(shop.orders).length === 0;
  if (fresh) {
    console.log(`Seeding ${CUSTOMERS} customers and 18 months of orders, before Regulars was installed…`);
    const seeded = await seedHistory(devshop.commerce, devshop.webhooks, shop, {
      customers: CUSTOMERS,
      months: 18,
      now: new Date(Date.now() - 21 * 86_400_000),
    });
    devshop.state.save();
    console.log(`  ${seeded.customers} customers, ${seeded.orders} orders`);
  }
  if (!shop.installation.installed) {
    // The merchant turned on the app embed and added the block in the theme editor.
    shop.theme = { embedActive: true, blockAdded: true };
    await installApp(devshop, appUrl, SHOP);
    console.log(`Installed on ${SHOP}`);
  }
  if (fresh) {
    // 18 months reach past the 60 days Shopify shares by default: the merchant grants Regulars
    // access to all orders (the optional scope the Past orders page asks for).
    devshop.grantScopes(SHOP, ["read_all_orders"]);
    await devshop.webhooks.idle();
    const admin = adminFetch(DEMO_APP, appUrl, SHOP);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const started = await admin("/app/backfill", {
      method: "POST",
      body: new URLSearchParams({ intent: "start", from: day(-19 * 30), to: day(0) }),
    });
    if (!started.ok)
      throw new Error(`Starting the backfill failed: ${started.status} ${await started.text()}`);
    process.stdout.write("Backfilling past orders (Bulk Operation)…");
    const began = Date.now();
    for (;;) {
      const page = await (await admin("/app/backfill.data")).text();
      if (/COMPLETED/.test(page)) break;
      if (/FAILED/.test(page)) throw new Error(`The backfill failed:\n${page.slice(0, 2000)}`);
      if (Date.now() - began > 300_000) throw new Error("The backfill did not finish within 5 minutes");
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    console.log(` done in ${((Date.now() - began) / 1000).toFixed(0)} s`);
    console.log("Three weeks of live activity (webhooks, redemptions on the storefront, codes used)…");
    const live = await liveActivity(devshop, shop, { days: 21, now: new Date() });
    devshop.state.save();
    console.log(
      `  ${live.orders} orders, ${live.redemptions} rewards redeemed, ${live.codesUsed} codes used`,
    );
  }
  console.log(`
  Admin (the app embedded):  ${devshop.adminUrl(SHOP)}
  Online store:              ${devshop.url}/   (use "Log in as" to be a customer)
  Customer accounts:         ${devshop.url}/account   (as that customer: the profile block, the
                             Rewards page at /account/pages/customer-account-page, each order's points;
                             a product's Check out: rewards in checkout, then the thank-you page)
  Shopify POS:               ${devshop.url}/pos   (the app's tile for the customer in the cart)
  Simulator controls:        ${devshop.url}/devshop

Ctrl-C stops everything; the next \`npm run demo\` reuses the data (delete .demo/ to start over).`);
}

/** Whether the UI extensions' scripts exist and were built for this app URL (it is baked in). */
function extensionsBuiltFor(appUrl: string): boolean {
  return ["customer-account-page", "customer-account-blocks", "checkout-rewards", "pos-rewards"].every(
    (handle) => {
      const script = path.join("extensions", handle, "dist", `${handle}.js`);
      return existsSync(script) && readFileSync(script, "utf8").includes(appUrl);
    },
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
