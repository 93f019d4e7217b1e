/**
 * Every environment variable Regulars reads, as one zod schema. parseEnv
 * reports all problems at once, so an operator fixes them in one go.
 * app/env.server.ts applies it to process.env at boot.
 */
import { z } from "zod";
import { sessionKeyListProblem } from "./shopify/sessions/token-cipher";

const SCOPE = /^(unauthenticated_)?(read|write)_[a-z_]+$/;

const httpUrl = z
  .string({ error: "is required" })
  .trim()
  .min(1, "is required")
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:";
    } catch {
      return false;
    }
  }, "must be an absolute http(s) URL, e.g. https://regulars.example.com");

const required = z.string({ error: "is required" }).trim().min(1, "is required");

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const envSchema = z.object({
  SHOPIFY_API_KEY: required,
  SHOPIFY_API_SECRET: required,
  SHOPIFY_APP_URL: httpUrl.transform((value) => value.replace(/\/+$/, "")),
  SCOPES: required
    .transform((value) =>
      value
        .split(",")
        .map((scope) => scope.trim())
        .filter(Boolean),
    )
    .refine((scopes) => scopes.length > 0, "must list at least one access scope")
    .refine(
      (scopes) => scopes.every((scope) => SCOPE.test(scope)),
      "must be a comma-separated list of access scopes such as read_orders,write_discounts",
    ),
  SHOP_CUSTOM_DOMAIN: optional(z.string().trim().min(1)),
  DATABASE_URL: optional(
    z
      .string()
      .trim()
      .refine(
        (value) => /^postgres(ql)?:\/\/.+/.test(value),
        "must be a postgresql:// connection URL (leave it unset to use the embedded database)",
      ),
  ),
  DATA_DIR: optional(z.string().trim().min(1)).transform((value) => value ?? "data"),
  NODE_ENV: optional(z.enum(["development", "production", "test"])).transform(
    (value) => value ?? "production",
  ),
  PORT: optional(z.coerce.number().int().min(1).max(65535)).transform((value) => value ?? 3000),
  /** The address `npm start` listens on; all interfaces when unset. */
  HOST: optional(z.string().regex(/^[A-Za-z0-9.:[\]-]+$/, "must be a host name or an IP address")),
  LOG_LEVEL: optional(z.enum(["error", "warn", "info", "debug"])).transform((value) => value ?? "info"),
  /** Where every call to a shop (Admin API, token exchange) goes instead of https://{shop}: a local Shopify. */
  SHOPIFY_ADMIN_API_ORIGIN: optional(httpUrl.transform((value) => value.replace(/\/+$/, ""))),
  /** An admin allowed to embed the app besides Shopify's own (CSP frame-ancestors): a local Shopify. */
  SHOPIFY_ADMIN_ORIGIN: optional(httpUrl.transform((value) => new URL(value).origin)),
  /** Where the embedded pages load App Bridge from (Shopify's own variable; default Shopify's CDN). */
  APP_BRIDGE_URL: optional(httpUrl),
  JOB_WORKER: optional(z.enum(["on", "off"], { error: 'must be "on" or "off"' })).transform(
    (value) => value ?? "on",
  ),
  /**
   * The keys that encrypt the shops' access and refresh tokens at rest: 32 random bytes in base64
   * each (`openssl rand -base64 32`), comma-separated; the first encrypts, all decrypt (rotation).
   * Required in production; elsewhere unset means a development key (app/shopify/sessions/session-keys.server.ts).
   */
  SESSION_ENCRYPTION_KEY: optional(
    z
      .string()
      .trim()
      .superRefine((value, ctx) => {
        const problem = sessionKeyListProblem(value);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
  ),
  /** `npm start` (scripts/serve.mjs) logs one line per request when on. */
  ACCESS_LOG: optional(z.enum(["on", "off"], { error: 'must be "on" or "off"' })).transform(
    (value) => value ?? "off",
  ),
});

export type Env = z.output<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Regulars cannot start: ${problems.length} environment ${
        problems.length === 1 ? "variable is" : "variables are"
      } missing or invalid.\n${problems.map((problem) => `  - ${problem}`).join("\n")}\n` +
        "See README.md (Environment variables) or .env.example.",
    );
    this.name = "EnvError";
  }
}

/** Parses an environment; throws one EnvError naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
  // Checked here, not as a refinement of the schema: zod skips those while any variable is bad, and
  // every problem is to be named at once.
  const production = (source.NODE_ENV?.trim() || "production") === "production";
  if (production && !source.SESSION_ENCRYPTION_KEY?.trim()) {
    problems.push(
      "SESSION_ENCRYPTION_KEY is required in production: 32 random bytes in base64 (openssl rand -base64 32), which encrypt the shops' access tokens at rest",
    );
  }
  if (problems.length > 0 || !result.success) throw new EnvError(problems);
  return result.data;
}
