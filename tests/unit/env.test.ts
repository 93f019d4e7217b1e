import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "~/env-schema.server";

const KEY = Buffer.alloc(32, 7).toString("base64");
const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://regulars.example.com/",
  SCOPES: "read_orders, write_discounts",
  SESSION_ENCRYPTION_KEY: KEY,
};

function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("environment", () => {
  it("parses a valid environment with defaults", () => {
    expect(parseEnv(valid)).toEqual({
      SHOPIFY_API_KEY: "key",
      SHOPIFY_API_SECRET: "secret",
      SHOPIFY_APP_URL: "https://regulars.example.com",
      SCOPES: ["read_orders", "write_discounts"],
      SHOP_CUSTOM_DOMAIN: undefined,
      DATABASE_URL: undefined,
      DATA_DIR: "data",
      NODE_ENV: "production",
      PORT: 3000,
      HOST: undefined,
      LOG_LEVEL: "info",
      SHOPIFY_ADMIN_API_ORIGIN: undefined,
      SHOPIFY_ADMIN_ORIGIN: undefined,
      APP_BRIDGE_URL: undefined,
      JOB_WORKER: "on",
      SESSION_ENCRYPTION_KEY: KEY,
      ACCESS_LOG: "off",
    });
  });

  it("lists every missing variable at once", () => {
    expect(problemsOf({})).toEqual([
      "SHOPIFY_API_KEY is required",
      "SHOPIFY_API_SECRET is required",
      "SHOPIFY_APP_URL is required",
      "SCOPES is required",
      expect.stringMatching(/^SESSION_ENCRYPTION_KEY is required in production: 32 random bytes in base64/),
    ]);
  });

  it("needs SESSION_ENCRYPTION_KEY in production only, and refuses a malformed one anywhere", () => {
    const { SESSION_ENCRYPTION_KEY: _key, ...withoutKey } = valid;
    expect(problemsOf(withoutKey)).toEqual([expect.stringMatching(/^SESSION_ENCRYPTION_KEY is required/)]);
    expect(problemsOf({ ...withoutKey, NODE_ENV: "production" })).toHaveLength(1);
    expect(parseEnv({ ...withoutKey, NODE_ENV: "development" }).SESSION_ENCRYPTION_KEY).toBeUndefined();
    expect(parseEnv({ ...withoutKey, NODE_ENV: "test" }).SESSION_ENCRYPTION_KEY).toBeUndefined();
    expect(problemsOf({ ...valid, SESSION_ENCRYPTION_KEY: "too-short" })).toEqual([
      expect.stringMatching(/^SESSION_ENCRYPTION_KEY key 1 is not 32 bytes in base64/),
    ]);
    expect(problemsOf({ ...withoutKey, NODE_ENV: "development", SESSION_ENCRYPTION_KEY: `${KEY},` })).toEqual(
      [expect.stringMatching(/empty key/)],
    );
  });

  it("names malformed values", () => {
    const problems = problemsOf({
      ...valid,
      SHOPIFY_APP_URL: "regulars.example.com",
      SCOPES: "orders",
      DATABASE_URL: "mysql://x",
      PORT: "99999",
      LOG_LEVEL: "loud",
      JOB_WORKER: "maybe",
      SHOPIFY_ADMIN_API_ORIGIN: "localhost:9000",
      ACCESS_LOG: "yes",
      HOST: "0.0.0.0 ; rm",
    });
    expect(problems).toHaveLength(9);
    expect(problems.join("\n")).toMatch(/ACCESS_LOG must be "on" or "off"/);
    expect(problems.join("\n")).toMatch(/HOST must be a host name or an IP address/);
    expect(problems.join("\n")).toMatch(/JOB_WORKER must be "on" or "off"/);
    expect(problems.join("\n")).toMatch(/SHOPIFY_ADMIN_API_ORIGIN must be an absolute http\(s\) URL/);
    expect(problems.join("\n")).toMatch(/SHOPIFY_APP_URL must be an absolute http\(s\) URL/);
    expect(problems.join("\n")).toMatch(/SCOPES must be a comma-separated list of access scopes/);
    expect(problems.join("\n")).toMatch(/DATABASE_URL must be a postgresql:\/\/ connection URL/);
    expect(problems.join("\n")).toMatch(/PORT/);
    expect(problems.join("\n")).toMatch(/LOG_LEVEL/);
  });

  it("treats empty optional values as unset", () => {
    expect(parseEnv({ ...valid, DATABASE_URL: "", PORT: "" })).toMatchObject({
      DATABASE_URL: undefined,
      PORT: 3000,
    });
  });

  it("a process started without its variables exits 1 with one message naming them", () => {
    const root = path.resolve(__dirname, "../..");
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", "-e", "await import('./app/env.server.ts')"],
      {
        cwd: root,
        env: { PATH: process.env.PATH, NODE_ENV: "production", SHOPIFY_API_KEY: "k" },
        encoding: "utf8",
        timeout: 20_000,
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Regulars cannot start: 4 environment variables are missing or invalid.");
    expect(result.stderr).toContain("SHOPIFY_API_SECRET is required");
    expect(result.stderr).toContain("SHOPIFY_APP_URL is required");
    expect(result.stderr).toContain("SCOPES is required");
    expect(result.stderr).toContain("SESSION_ENCRYPTION_KEY is required in production");
    expect(result.stderr).not.toContain("    at "); // no stack trace
  });
});
