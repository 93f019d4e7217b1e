import { describe, expect, it } from "vitest";
import { formatMilli, parseMilli } from "./money";
import { E4, formatE4, parseE4, pointsFor } from "./rates";

describe("money and rates", () => {
  it("parses Shopify money strings exactly", () => {
    expect(parseMilli("199.00")).toBe(199_000n);
    expect(parseMilli("0.1")).toBe(100n);
    expect(parseMilli("12.345")).toBe(12_345n);
    expect(parseMilli("-5.50")).toBe(-5_500n);
    expect(parseMilli(195.66)).toBe(195_660n);
    expect(formatMilli(199_990n)).toBe("199.99");
    expect(() => parseMilli("12,00")).toThrow(/not a money amount/);
    expect(() => parseMilli("")).toThrow();
  });

  it("parses rates with up to four decimals", () => {
    expect(parseE4("5")).toBe(5 * E4);
    expect(parseE4("0.5")).toBe(5_000);
    expect(parseE4("1.25")).toBe(12_500);
    expect(formatE4(12_500)).toBe("1.25");
    expect(() => parseE4("1.23456")).toThrow();
    expect(() => parseE4("-1")).toThrow();
  });

  it("earns whole points, rounded down, exactly", () => {
    // 80.00 at 5 points per 1.00 -> 400; a Gold member (x1.5) -> 600
    expect(pointsFor(parseMilli("80.00"), parseE4("5"), parseE4("1"))).toBe(400);
    expect(pointsFor(parseMilli("80.00"), parseE4("5"), parseE4("1.5"))).toBe(600);
    // 0.5 points per 1.00 on 9.99 -> 4.995 -> 4
    expect(pointsFor(parseMilli("9.99"), parseE4("0.5"), E4)).toBe(4);
    // x1.25 on 10.01 at 5/1.00 -> 62.5625 -> 62
    expect(pointsFor(parseMilli("10.01"), parseE4("5"), parseE4("1.25"))).toBe(62);
    expect(pointsFor(-1000n, 5 * E4, E4)).toBe(0);
    // Large amounts stay exact (no float rounding): 9,999,999.99 x 1000 x 10
    expect(pointsFor(parseMilli("9999999.99"), 1000 * E4, 10 * E4)).toBe(99_999_999_900);
  });
});
