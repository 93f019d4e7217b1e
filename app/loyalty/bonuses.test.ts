import { describe, expect, it } from "vitest";
import { birthdayBonusYear, isValidBirthday } from "./bonuses";
import { expiryStatus } from "./expiry";

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("birthday bonus", () => {
  const birthday = { month: 6, day: 15 };
  it("is due once a year, on or after the birthday", () => {
    const base = { birthday, setAt: d("2025-01-01"), lastAwardedYear: null };
    expect(birthdayBonusYear({ ...base, today: d("2026-06-14") })).toBeNull();
    expect(birthdayBonusYear({ ...base, today: d("2026-06-15") })).toBe(2026);
    expect(birthdayBonusYear({ ...base, lastAwardedYear: 2026, today: d("2026-06-20") })).toBeNull();
  });
  it("a birthday set less than 30 days ahead earns nothing this year", () => {
    expect(
      birthdayBonusYear({ birthday, setAt: d("2026-06-01"), lastAwardedYear: null, today: d("2026-06-15") }),
    ).toBeNull();
    expect(
      birthdayBonusYear({ birthday, setAt: d("2026-05-16"), lastAwardedYear: null, today: d("2026-06-15") }),
    ).toBe(2026);
    expect(
      birthdayBonusYear({ birthday, setAt: d("2026-06-01"), lastAwardedYear: null, today: d("2027-06-15") }),
    ).toBe(2027);
  });
  it("29 February falls on the 28th in other years", () => {
    const leap = { month: 2, day: 29 };
    expect(
      birthdayBonusYear({
        birthday: leap,
        setAt: d("2024-01-01"),
        lastAwardedYear: 2024,
        today: d("2026-02-28"),
      }),
    ).toBe(2026);
    expect(isValidBirthday(leap)).toBe(true);
    expect(isValidBirthday({ month: 2, day: 30 })).toBe(false);
    expect(isValidBirthday({ month: 13, day: 1 })).toBe(false);
  });
});

describe("points expiry", () => {
  it("expires after N months without activity, warning N days before", () => {
    const base = { lastActivityAt: d("2026-01-31"), expiryMonths: 12, warningDays: 30 };
    expect(expiryStatus({ ...base, now: d("2026-12-01") })).toEqual({
      state: "active",
      expiresAt: d("2027-01-31"),
    });
    expect(expiryStatus({ ...base, now: d("2027-01-02") }).state).toBe("warning");
    expect(expiryStatus({ ...base, now: d("2027-01-31") }).state).toBe("due");
    expect(expiryStatus({ ...base, expiryMonths: null, now: d("2030-01-01") }).state).toBe("off");
  });
});
