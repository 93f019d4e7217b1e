/**
 * Bonus events through the services on a real database (decision 0022):
 * saving with the admin's limits in the shop's time zone, an order paid
 * during an event earning double (one event at a time and in sets), a
 * duplicate never paying twice, a refund taking back in proportion what was
 * awarded whatever happened to the event since, an order outside every
 * event earning as before, and the events the storefront is told about.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { bonusEventPoints } from "~/db/bonus-events.server";
import { transactionWithSql } from "~/db/sql-in-transaction.server";
import { ensureProgram, replaceTiers } from "~/db/program.server";
import { applyPaidOrders } from "~/services/orders/order-points-batch.server";
import { applyOrderEvent } from "~/services/orders/order-points.server";
import {
  bonusEventsPage,
  endBonusEventNow,
  saveBonusEvent,
  upcomingBonusEvents,
} from "~/services/bonus-events/bonus-events.server";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { refundFacts, snapshot } from "../support/order-events";

let n = 0;
const CUSTOMER = "gid://shopify/Customer/7";
// Friday 2026-07-03, 12:00 in New York (UTC-4).
const NOW = new Date("2026-07-03T16:00:00Z");

async function newShop(): Promise<string> {
  const shop = `bonus-${n++}-${process.pid}.myshopify.com`;
  await prisma.shop.create({
    data: { domain: shop, installedAt: NOW, ianaTimezone: "America/New_York" },
  });
  await ensureProgram(prisma, shop);
  await prisma.program.update({ where: { shop }, data: { earnRateE4: 10_000 } });
  await replaceTiers(prisma, shop, [{ key: "member", name: "Member", threshold: 0n, multiplierE4: 10_000 }]);
  return shop;
}

const weekend = {
  name: "Double points weekend",
  startsOn: "2026-07-04",
  endsOn: "2026-07-05",
  kind: "MULTIPLIER",
  multiplier: "2",
  fixedPoints: "",
};

const order = (k: number, paidAt: Date, merchandise = 80_000n) =>
  snapshot({
    orderGid: `gid://shopify/Order/${k}`,
    customerGid: CUSTOMER,
    updatedAt: paidAt,
    paidAt,
    merchandise,
  });

async function balance(shop: string) {
  const member = await prisma.member.findUniqueOrThrow({
    where: { shop_customerGid: { shop, customerGid: CUSTOMER } },
  });
  return member.balance;
}

describe("bonus events", () => {
  it("double an order paid at 23:30 local on the last day, and no order after it", async () => {
    const shop = await newShop();
    const saved = await saveBonusEvent(prisma, shop, weekend, null, NOW);
    expect(saved.ok).toBe(true);
    // Sunday 23:30 in New York is Monday 03:30 UTC.
    const lastMinutes = new Date("2026-07-06T03:30:00Z");
    const after = new Date("2026-07-06T04:00:00Z");
    const later = new Date("2026-07-06T12:00:00Z");
    await applyOrderEvent(prisma, shop, { type: "paid", snapshot: order(1, lastMinutes) }, later);
    // 1 point per 1.00: 80.00 -> 80, doubled 160.
    expect(await balance(shop)).toBe(160);
    await applyOrderEvent(prisma, shop, { type: "paid", snapshot: order(2, after) }, later);
    expect(await balance(shop)).toBe(240);
    const first = await prisma.orderRecord.findFirstOrThrow({
      where: { shop, orderGid: order(1, NOW).orderGid },
    });
    expect(first).toMatchObject({ eventMultiplierE4: 20_000, eventPoints: 80, eventBaseMilli: 80_000n });
    expect(first.bonusEventId).toBe(saved.ok ? saved.id : null);
    await expectLedgerConsistent(prisma, shop);
  });

  it("pay once for a duplicate, and a refund takes back what was awarded, though the event changed since", async () => {
    const shop = await newShop();
    const saved = await saveBonusEvent(prisma, shop, weekend, null, NOW);
    if (!saved.ok) throw new Error("not saved");
    const paidAt = new Date("2026-07-04T15:00:00Z");
    const paid = { type: "paid" as const, snapshot: order(1, paidAt) };
    await applyOrderEvent(prisma, shop, paid, paidAt);
    await applyOrderEvent(prisma, shop, paid, paidAt);
    expect(await balance(shop)).toBe(160);
    // The merchant turns it into a 3x, then ends it: the order keeps its 2x.
    const saturday = new Date("2026-07-04T18:00:00Z");
    expect(await saveBonusEvent(prisma, shop, { ...weekend, multiplier: "3" }, saved.id, saturday)).toEqual({
      ok: true,
      id: saved.id,
    });
    expect(await endBonusEventNow(prisma, shop, saved.id, saturday)).toBe(true);
    const refund = refundFacts(paid.snapshot.orderGid, "gid://shopify/Refund/1", 20_000n);
    await applyOrderEvent(prisma, shop, { type: "refund", refund }, saturday);
    await applyOrderEvent(prisma, shop, { type: "refund", refund }, saturday);
    // A quarter refunded: 160 - 40.
    expect(await balance(shop)).toBe(120);
    const record = await prisma.orderRecord.findFirstOrThrow({ where: { shop } });
    expect(record).toMatchObject({ points: 120, eventPoints: 60 });
    expect(await bonusEventPoints(prisma, shop, new Date("2026-07-01"), new Date("2026-07-08"))).toBe(60);
    await expectLedgerConsistent(prisma, shop);
  });

  it("apply in the set path (inbox bursts and the backfill) by each order's processed time", async () => {
    const shop = await newShop();
    await saveBonusEvent(prisma, shop, { ...weekend, kind: "FIXED", fixedPoints: "25" }, null, NOW);
    const orders = [
      order(1, new Date("2026-07-03T20:00:00Z")),
      order(2, new Date("2026-07-04T20:00:00Z"), 10_000n),
      order(3, new Date("2026-07-05T20:00:00Z"), 30_000n),
    ];
    await transactionWithSql(prisma, (tx, sql) => applyPaidOrders(tx, sql, shop, orders, NOW));
    // 80 (before the event) + 10 + 25 + 30 + 25.
    expect(await balance(shop)).toBe(170);
    await expectLedgerConsistent(prisma, shop);
  });

  it("refuse past days, more events at once than allowed, and changes to an event over", async () => {
    const shop = await newShop();
    expect(await saveBonusEvent(prisma, shop, { ...weekend, startsOn: "2026-07-02" }, null, NOW)).toEqual({
      ok: false,
      errors: { startsOn: { code: "past" } },
    });
    for (let k = 0; k < 3; k++)
      expect((await saveBonusEvent(prisma, shop, weekend, null, NOW)).ok).toBe(true);
    expect(await saveBonusEvent(prisma, shop, weekend, null, NOW)).toEqual({
      ok: false,
      errors: { form: { code: "max", max: 3, unit: "events" } },
    });
    // Apart from the others: accepted.
    expect(
      (
        await saveBonusEvent(
          prisma,
          shop,
          { ...weekend, startsOn: "2026-07-10", endsOn: "2026-07-10" },
          null,
          NOW,
        )
      ).ok,
    ).toBe(true);
    const page = await bonusEventsPage(prisma, shop, NOW);
    expect(page.today).toBe("2026-07-03");
    expect(page.events.map((e) => e.status)).toEqual(["upcoming", "upcoming", "upcoming", "upcoming"]);
    const over = new Date("2026-07-20T00:00:00Z");
    const id = page.events[0]!.id;
    expect(await saveBonusEvent(prisma, shop, weekend, id, over)).toEqual({
      ok: false,
      errors: { form: { code: "invalid" } },
    });
    expect(await endBonusEventNow(prisma, shop, id, over)).toBe(false);
    // Another shop cannot touch it.
    const other = await newShop();
    expect(await endBonusEventNow(prisma, other, page.events[1]!.id, NOW)).toBe(false);
  });

  it("tell the storefront the events not over, with their start and end", async () => {
    const shop = await newShop();
    await saveBonusEvent(prisma, shop, weekend, null, NOW);
    const expected = {
      name: "Double points weekend",
      kind: "MULTIPLIER",
      multiplier: "2",
      points: null,
      startsAt: "2026-07-04T04:00:00.000Z",
      endsAt: "2026-07-06T04:00:00.000Z",
      collections: [],
    };
    expect(await upcomingBonusEvents(prisma, shop, NOW)).toEqual([expected]);
    expect(await upcomingBonusEvents(prisma, shop, new Date("2026-07-05T12:00:00Z"))).toEqual([expected]);
    expect(await upcomingBonusEvents(prisma, shop, new Date("2026-07-06T04:00:00Z"))).toEqual([]);
    // Saving asked for Shopify's copy of the program to be written again.
    const program = await prisma.program.findUniqueOrThrow({ where: { shop } });
    expect(program.syncVersion).toBeGreaterThan(program.syncedVersion);
  });
});
