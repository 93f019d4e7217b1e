/** Who is left out of the program (app/loyalty/exclusions.ts). */
import { describe, expect, it } from "vitest";
import { excludedTagOf, isExcludedCustomer, normalizeExcludedTags } from "~/loyalty/exclusions";
import { programSchema, DEFAULT_PROGRAM } from "~/loyalty/program";

describe("excluded tags", () => {
  it("match a customer's tag without case or surrounding spaces, as Shopify compares tags", () => {
    expect(excludedTagOf(["VIP", "WholeSale"], ["wholesale"])).toBe("wholesale");
    expect(excludedTagOf([" staff "], ["wholesale", "Staff"])).toBe("Staff");
    expect(isExcludedCustomer(["wholesaler", "staff-discount"], ["wholesale", "staff"])).toBe(false);
    expect(isExcludedCustomer([], ["wholesale"])).toBe(false);
    expect(isExcludedCustomer(["wholesale"], [])).toBe(false);
  });

  it("are kept trimmed, once each without case, in the order typed, empty entries dropped", () => {
    expect(normalizeExcludedTags([" wholesale", "Staff ", "", "WHOLESALE", "  "])).toEqual([
      "wholesale",
      "Staff",
    ]);
  });

  it("are checked by the program's schema: no comma, at most 255 characters, at most 50", () => {
    const check = (excludedTags: string[]) => programSchema.safeParse({ ...DEFAULT_PROGRAM, excludedTags });
    expect(check(["wholesale", "staff"]).success).toBe(true);
    const long = check(["x".repeat(256)]);
    expect(long.success).toBe(false);
    expect(long.error?.issues[0]).toMatchObject({
      path: ["excludedTags", 0],
      message: JSON.stringify({ code: "max", max: 255, unit: "characters" }),
    });
    expect(check(["a,b"]).error?.issues[0]?.message).toBe(JSON.stringify({ code: "comma" }));
    expect(check(Array.from({ length: 51 }, (_, i) => `t${i}`)).error?.issues[0]?.message).toBe(
      JSON.stringify({ code: "max", max: 50, unit: "tags" }),
    );
  });
});
