/**
 * The import's body limit applies where the admin's import form posts: its
 * fetcher submits to the route's single-fetch address (/app/import.data,
 * Remix's v3_singleFetch), and a file up to 5 MB must pass there as on
 * /app/import.
 */
import { describe, expect, it } from "vitest";
import { bodyLimitFor, IMPORT_BODY, OTHER_BODY, SURFACE_BODY } from "~/http/request-limits";

describe("bodyLimitFor", () => {
  it("gives the import's limit to the import route and its single-fetch address, and only to them", () => {
    expect(bodyLimitFor("/app/import")).toBe(IMPORT_BODY);
    expect(bodyLimitFor("/app/import.data")).toBe(IMPORT_BODY);
    expect(bodyLimitFor("/app/importer.data")).toBe(OTHER_BODY);
    expect(bodyLimitFor("/app/program.data")).toBe(OTHER_BODY);
  });
});

describe("the shopper surfaces", () => {
  it("take the app proxy's 16 KiB bodies, with or without a customer or order in the path", () => {
    for (const path of [
      "/surfaces/customer-account/redeem",
      "/surfaces/customer-account/actions/follow",
      "/surfaces/checkout/estimate",
      "/surfaces/pos/customers/42/redeem",
    ]) {
      expect(bodyLimitFor(path)).toBe(SURFACE_BODY);
    }
    expect(SURFACE_BODY.bytes).toBe(16 * 1024);
    expect(bodyLimitFor("/surfacesx/checkout")).toBe(OTHER_BODY);
  });
});
