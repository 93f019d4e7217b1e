import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { ensureProgram } from "~/db/program.server";
import { DEFAULT_TIERS } from "~/loyalty/program";
import { runDailyMaintenance } from "~/services/shops/daily-maintenance.server";
import { applyOrderEvent } from "~/services/orders/order-points.server";
import { SettingsError, setBirthday, updateProgram } from "~/services/program/program-settings.server";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { refundFacts, snapshot } from "../support/order-events";

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);
const CUSTOMER = "gid://shopify/Customer/1";
let counter = 0;
const newShop = () => `life-${counter++}.myshopify.com`;

async function pay(shop: string, orderNo: number, amount: bigint, at: Date) {
  const orderGid = `gid://shopify/Order/${orderNo}`;
  const s = {
    ...snapshot({ orderGid, customerGid: CUSTOMER, updatedAt: at, merchandise: amount }),
    paidAt: at,
  };
  return applyOrderEvent(prisma, shop, { type: "paid", snapshot: s }, at);
}
const member = (shop: string) =>
  prisma.member.findUniqueOrThrow({ where: { shop_customerGid: { shop, customerGid: CUSTOMER } } });

describe("pending period", () => {
  it("points are pending for N days, refunds take pending points first, then they release once", async () => {
    const shop = newShop();
    await ensureProgram(prisma, shop);
    await updateProgram(prisma, shop, { settings: { pendingDays: 14 } }, day(0));
    await pay(shop, 1, 100_000n, day(0));
    expect(await member(shop)).toMatchObject({ balance: 0, pending: 500 });
    await applyOrderEvent(
      prisma,
      shop,
      { type: "refund", refund: refundFacts("gid://shopify/Order/1", "gid://shopify/Refund/1", 20_000n) },
      day(3),
    );
    expect(await member(shop)).toMatchObject({ balance: 0, pending: 400 });
    expect((await runDailyMaintenance(prisma, shop, day(13))).released).toBe(0);
    expect((await runDailyMaintenance(prisma, shop, day(14))).released).toBe(400);
    expect((await runDailyMaintenance(prisma, shop, day(15))).released).toBe(0);
    expect(await member(shop)).toMatchObject({ balance: 400, pending: 0 });
    await expectLedgerConsistent(prisma, shop);
  });
});

describe("tiers", () => {
  it("a member who reaches Silver earns x1.25 on the next order, not on the one that got them there", async () => {
    const shop = newShop();
    await pay(shop, 1, 300_000n, day(0)); // 300.00 -> 1500 points at x1, then Silver
    expect(await member(shop)).toMatchObject({ balance: 1500, tierKey: "silver" });
    await pay(shop, 2, 100_000n, day(1)); // 100.00 -> 500 x 1.25 = 625
    expect((await member(shop)).balance).toBe(2125);
    await expectLedgerConsistent(prisma, shop);
  });

  it("a refund below the threshold drops the tier only after the grace period", async () => {
    const shop = newShop();
    await pay(shop, 1, 300_000n, day(0));
    await applyOrderEvent(
      prisma,
      shop,
      { type: "refund", refund: refundFacts("gid://shopify/Order/1", "gid://shopify/Refund/9", 100_000n) },
      day(2),
    );
    expect((await member(shop)).tierKey).toBe("silver"); // grace: kept until 12 months after it was earned
    await runDailyMaintenance(prisma, shop, day(366));
    expect((await member(shop)).tierKey).toBe("member");
  });

  it("changing tiers after launch re-evaluates everyone and never touches balances", async () => {
    const shop = newShop();
    await pay(shop, 1, 300_000n, day(0));
    const before = await member(shop);
    const result = await updateProgram(
      prisma,
      shop,
      {
        settings: { tierGrace: false },
        tiers: [DEFAULT_TIERS[0]!, { ...DEFAULT_TIERS[1]!, threshold: 500_000n }, DEFAULT_TIERS[2]!],
      },
      day(1),
    );
    expect(result.tierChanges).toBe(1);
    const after = await member(shop);
    expect(after).toMatchObject({ tierKey: "member", balance: before.balance, pending: before.pending });
    await expectLedgerConsistent(prisma, shop);
  });

  it("a setting out of range is refused with field errors and changes nothing", async () => {
    const shop = newShop();
    await ensureProgram(prisma, shop);
    const attempt = updateProgram(
      prisma,
      shop,
      { settings: { earnRateE4: -1, pendingDays: 999 }, tiers: [{ ...DEFAULT_TIERS[1]! }] },
      day(0),
    );
    await expect(attempt).rejects.toBeInstanceOf(SettingsError);
    const error = (await attempt.catch((e: SettingsError) => e)) as SettingsError;
    expect(Object.keys(error.fieldErrors).sort()).toEqual(["earnRateE4", "pendingDays", "tiers.0.threshold"]);
    const program = await prisma.program.findUniqueOrThrow({ where: { shop }, include: { tiers: true } });
    expect(program).toMatchObject({ earnRateE4: 50_000, pendingDays: 0 });
    expect(program.tiers).toHaveLength(3);
  });
});

describe("expiry and birthdays", () => {
  it("the whole balance expires after N months without activity, once, after a warning", async () => {
    const shop = newShop();
    await ensureProgram(prisma, shop);
    await updateProgram(prisma, shop, { settings: { expiryMonths: 12, expiryWarningDays: 30 } }, day(0));
    await pay(shop, 1, 100_000n, day(0));
    expect((await runDailyMaintenance(prisma, shop, day(340))).warned).toBe(1);
    expect((await runDailyMaintenance(prisma, shop, day(341))).warned).toBe(0);
    const report = await runDailyMaintenance(prisma, shop, day(365));
    expect(report).toMatchObject({ expiredMembers: 1, expiredPoints: 500 });
    expect((await runDailyMaintenance(prisma, shop, day(366))).expiredMembers).toBe(0);
    expect((await member(shop)).balance).toBe(0);
    await expectLedgerConsistent(prisma, shop);
  });

  it("the birthday bonus is paid once a year, not for a birthday set at the last minute", async () => {
    const shop = newShop();
    await ensureProgram(prisma, shop);
    await updateProgram(prisma, shop, { settings: { birthdayBonus: 200 } }, day(0));
    // Set on 1 January for 20 January: less than 30 days ahead, nothing this year.
    expect(await setBirthday(prisma, shop, CUSTOMER, { month: 1, day: 20 }, day(0))).toBe("set");
    expect(await setBirthday(prisma, shop, CUSTOMER, { month: 5, day: 5 }, day(1))).toBe("already set");
    expect((await runDailyMaintenance(prisma, shop, day(19))).birthdayBonuses).toBe(0);
    const nextYear = new Date(Date.UTC(2027, 0, 20));
    expect((await runDailyMaintenance(prisma, shop, nextYear)).birthdayBonuses).toBe(1);
    expect((await runDailyMaintenance(prisma, shop, new Date(Date.UTC(2027, 0, 21)))).birthdayBonuses).toBe(
      0,
    );
    expect((await member(shop)).balance).toBe(200);
    await expect(
      setBirthday(prisma, shop, "gid://shopify/Customer/2", { month: 2, day: 30 }, day(0)),
    ).rejects.toThrow(/"birthday":{"code":"invalid"}/);
  });
});

describe("a customer left out of the program (an excluded tag)", () => {
  it("gets no birthday bonus while tagged; once untagged, it is paid", async () => {
    const shop = newShop();
    await ensureProgram(prisma, shop);
    await updateProgram(prisma, shop, { settings: { birthdayBonus: 200, excludedTags: ["staff"] } }, day(0));
    expect(await setBirthday(prisma, shop, CUSTOMER, { month: 3, day: 1 }, day(0))).toBe("set");
    await prisma.member.updateMany({ where: { shop, customerGid: CUSTOMER }, data: { tags: ["Staff"] } });
    expect((await runDailyMaintenance(prisma, shop, day(59))).birthdayBonuses).toBe(0);
    expect((await member(shop)).balance).toBe(0);
    await prisma.member.updateMany({ where: { shop, customerGid: CUSTOMER }, data: { tags: [] } });
    expect((await runDailyMaintenance(prisma, shop, day(60))).birthdayBonuses).toBe(1);
    expect((await member(shop)).balance).toBe(200);
  });
});

describe("manual adjustments", () => {
  it("apply once per idempotency key, record the staff member, and refuse bad input", async () => {
    const { adjustPoints } = await import("~/services/members/adjust-points.server");
    const shop = newShop();
    const input = {
      customerGid: CUSTOMER,
      points: 250,
      reason: "Goodwill",
      staffId: "gid://shopify/StaffMember/7",
      idempotencyKey: "form-123456",
    };
    expect(await adjustPoints(prisma, shop, input, day(0))).toEqual({ balance: 250, applied: true });
    expect(await adjustPoints(prisma, shop, input, day(0))).toEqual({ balance: 250, applied: false });
    await expect(
      adjustPoints(prisma, shop, { ...input, points: -300, idempotencyKey: "form-654321" }, day(1)),
    ).rejects.toMatchObject({ fieldErrors: { points: { code: "belowZero", balance: 250 } } });
    expect(
      await adjustPoints(prisma, shop, { ...input, points: -250, idempotencyKey: "form-654322" }, day(1)),
    ).toEqual({ balance: 0, applied: true });
    await expect(
      adjustPoints(prisma, shop, { ...input, points: 0, reason: "", idempotencyKey: "x" }, day(1)),
    ).rejects.toMatchObject({
      fieldErrors: {
        points: { code: "notZero" },
        reason: { code: "required" },
        idempotencyKey: { code: "stale" },
      },
    });
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { shop, kind: "ADJUST" } });
    expect(entry).toMatchObject({ staffId: "gid://shopify/StaffMember/7", note: "Goodwill" });
    await expectLedgerConsistent(prisma, shop);
  });
});
