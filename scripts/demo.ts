/**
 * `npm run demo`: Regulars working end to end with no Shopify account and no
 * network. Migrates the embedded database (the app does it on start), starts
 * devshop (a local Shopify), the app's production build with its worker,
 * installs the app on a demo shop, seeds 18 months of history on the first
 * run, and prints where to look. Ctrl-C stops everything; the next run reuses
 * the data in .demo/.
 */
import { execSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { appEnvironment, DEMO_APP, installApp, startApp } from "../devshop/launch";
import { seedHistory } from "../devshop/seed";
import { startDevshop } from "../devshop/server";

const DIR = path.resolve(process.env.DEMO_DIR ?? ".demo");
const SHOP = "maple-and-pine.myshopify.com";
const DEVSHOP_PORT = Number(process.env.DEVSHOP_PORT ?? 4400);
const APP_PORT = Number(process.env.PORT ?? 3000);
const CUSTOMERS = Number(process.env.DEMO_CUSTOMERS ?? 300);

async function main() {
  mkdirSync(DIR, { recursive: true });
  if (!existsSync("build/server/index.js") || process.argv.includes("--rebuild")) {
    console.log("Building the app (npm run build)…");
    execSync("npm run build", { stdio: "inherit" });
  }
  const appUrl = `http://127.0.0.1:${APP_PORT}`;
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
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());

  if (!shop.installation.installed) {
    await installApp(devshop, appUrl, SHOP);
    console.log(`Installed on ${SHOP}`);
  }
  if (Object.keys(shop.orders).length === 0) {
    console.log(`Seeding ${CUSTOMERS} customers and 18 months of orders (delivered as webhooks)…`);
    const started = Date.now();
    const seeded = await seedHistory(devshop.commerce, devshop.webhooks, shop, {
      customers: CUSTOMERS,
      months: 18,
      now: new Date(),
      onProgress: (done, total) => {
        if (done % 250 === 0 || done === total) process.stdout.write(`\r  ${done}/${total} orders`);
      },
    });
    devshop.state.save();
    console.log(
      `\n  ${seeded.customers} customers, ${seeded.orders} orders in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  }
  console.log(`
  Admin (the app embedded):  ${devshop.adminUrl(SHOP)}
  Online store:              ${devshop.url}/   (use "Log in as" to be a customer)
  Simulator controls:        ${devshop.url}/devshop

Ctrl-C stops everything; the next \`npm run demo\` reuses the data (delete .demo/ to start over).`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
