/**
 * The environment the app's modules need to load (app/env.server.ts validates it on import), with
 * the credentials Shopify's test helpers sign with. Unit tests load server modules too (an error
 * table imports the services whose errors it maps), so every project sets it before any app module
 * loads; tests/setup/database.ts adds the database's part.
 */
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";

process.env.SHOPIFY_API_KEY = API_KEY;
process.env.SHOPIFY_API_SECRET = API_SECRET_KEY;
process.env.SHOPIFY_APP_URL = APP_URL;
process.env.SCOPES = "read_customers,read_orders,read_all_orders,write_customers,write_discounts";
process.env.NODE_ENV = "test";
process.env.LOG_LEVEL = "error";
// Tests run jobs themselves (JobWorker.drain) with their own Shopify stand-ins.
process.env.JOB_WORKER = "off";
