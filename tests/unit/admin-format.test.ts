/** The admin's dates and numbers: the staff member's locale, the shop's time zone. */
import { describe, expect, it } from "vitest";
import {
  formatDate,
  formatDateTime,
  formatDay,
  formatMoney,
  formatNumber,
  formatPercent,
  formatSettings,
} from "../../app/admin/format";

// 23:30 UTC on 7 December: already 8 December in Auckland, still the 7th in Los Angeles.
const lateEvening = new Date("2026-12-07T23:30:00Z");

describe("dates in the shop's time zone", () => {
  it("puts a moment on the shop's day, written in the locale", () => {
    expect(formatDate(lateEvening, formatSettings("fr", "Pacific/Auckland"))).toBe("8 déc. 2026");
    expect(formatDate(lateEvening, formatSettings("de", "America/Los_Angeles"))).toBe("07.12.2026");
    expect(formatDate(lateEvening.toISOString(), formatSettings("en", "UTC"))).toBe("Dec 7, 2026");
  });
  it("shows the shop's clock time", () => {
    expect(formatDateTime(lateEvening, formatSettings("fr", "Pacific/Auckland"))).toBe("8 déc. 2026, 12:30");
    expect(formatDateTime(lateEvening, formatSettings("de", "Europe/Berlin"))).toBe("08.12.2026, 00:30");
  });
  it("reads an unknown or missing zone as UTC", () => {
    expect(formatSettings("en", "Mars/Olympus").timeZone).toBe("UTC");
    expect(formatSettings("en", null).timeZone).toBe("UTC");
  });
  it("writes a calendar day without moving it", () => {
    expect(formatDay("2026-12-07", formatSettings("es", "Pacific/Auckland"))).toBe("7 dic 2026");
  });
});

describe("numbers in the locale", () => {
  it("groups digits and marks decimals the locale's way", () => {
    expect(formatNumber(1234567, { locale: "fr" })).toBe("1\u202f234\u202f567");
    expect(formatNumber(1234567, { locale: "de" })).toBe("1.234.567");
    expect(formatNumber("1234.5", { locale: "es" }, { minimum: 2 })).toBe("1234,50");
    expect(formatNumber(1234567, { locale: "en" })).toBe("1,234,567");
  });
  it("writes money with the shop's currency", () => {
    expect(formatMoney("1234.5", "EUR", { locale: "fr" })).toBe("1\u202f234,50\u00a0€");
    expect(formatMoney("1234.5", "EUR", { locale: "de" })).toBe("1.234,50\u00a0€");
    expect(formatMoney(1234.5, "USD", { locale: "en" })).toBe("$1,234.50");
    expect(formatMoney(12, "", { locale: "de" })).toBe("12,00");
  });
  it("writes a ratio as a percentage", () => {
    expect(formatPercent(0.125, { locale: "fr" })).toBe("12,5\u00a0%");
    expect(formatPercent(0.125, { locale: "en" })).toBe("12.5%");
    expect(formatPercent(null, { locale: "de" })).toBe("—");
  });
});
