/** Shopify's Admin API 2026-10 schema: the simulator's copy, shared with the tests. */
export { adminSchema } from "../../devshop/admin-schema";
