/**
 * A new shop with a program of the given settings and three tiers (Member,
 * Silver at x1.25, Gold at x1.5) at the given thresholds, for property tests
 * that run the same history through two paths.
 */
import type { BonusEventKind, Prisma } from "@prisma/client";
import fc from "fast-check";
import { prisma } from "~/db.server";
import { ensureProgram, replaceTiers } from "~/db/program.server";

let n = 0;

/** A bonus event of a property test's shop (decision 0022), its instants as given. */
export interface BonusEventSpec {
  kind: BonusEventKind;
  multiplierE4: number | null;
  fixedPoints: number | null;
  startsAt: Date;
  endsAt: Date;
  /** Limited to these collections (decision 0022); absent or []: every order. */
  collections?: { id: string; title: string }[];
}

const DAY = 86_400_000;

/**
 * No event, or bonus events over the days before `now` (days ago `from` to `to`): a 2x,
 * a fixed bonus overlapping it (the best one per order wins), a 1.5x to `now`.
 */
export function bonusEventsArb(now: Date): fc.Arbitrary<BonusEventSpec[]> {
  const span = (from: number, to: number) => ({
    startsAt: new Date(now.getTime() - from * DAY),
    endsAt: new Date(now.getTime() - to * DAY),
  });
  const double = { kind: "MULTIPLIER" as const, multiplierE4: 20_000, fixedPoints: null, ...span(300, 100) };
  const fixed = { kind: "FIXED" as const, multiplierE4: null, fixedPoints: 40, ...span(150, 20) };
  const recent = { kind: "MULTIPLIER" as const, multiplierE4: 15_000, fixedPoints: null, ...span(30, -1) };
  return fc.constantFrom<BonusEventSpec[]>([], [double], [double, fixed, recent]);
}

export async function programShop(
  prefix: string,
  { bonusEvents = [], ...settings }: Prisma.ProgramUpdateInput & { bonusEvents?: readonly BonusEventSpec[] },
  [silver, gold]: readonly [bigint, bigint],
): Promise<string> {
  const shop = `${prefix}-${n++}-${process.pid}.myshopify.com`;
  await prisma.shop.create({ data: { domain: shop, installedAt: new Date() } });
  await ensureProgram(prisma, shop);
  await prisma.program.update({ where: { shop }, data: settings });
  for (const [k, event] of bonusEvents.entries()) {
    const day = event.startsAt.toISOString().slice(0, 10);
    await prisma.bonusEvent.create({
      data: { shop, name: `Event ${k + 1}`, startsOn: day, endsOn: day, timeZone: "UTC", ...event },
    });
  }
  await replaceTiers(prisma, shop, [
    { key: "member", name: "Member", threshold: 0n, multiplierE4: 10_000 },
    { key: "silver", name: "Silver", threshold: silver, multiplierE4: 12_500 },
    { key: "gold", name: "Gold", threshold: gold, multiplierE4: 15_000 },
  ]);
  return shop;
}
