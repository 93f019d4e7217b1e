/**
 * The points engine for many paid orders at once (a backfill), in the
 * caller's transaction. An order Regulars already knows (a webhook or an
 * earlier run recorded it) goes through the engine's own applyOrderEventIn,
 * one at a time, under its row lock. An order Regulars has never seen takes
 * the set-based path below: the same rules (award terms, app/loyalty's points,
 * pending split, tier before the order, re-evaluation after it), the same
 * records and the same ledger key `order:<gid>:paid`, written with a few
 * statements per batch instead of a dozen per order. Its record is claimed
 * first by an INSERT that a concurrent webhook waits on, so an order is
 * credited by one or the other, never both.
 *
 * Difference by design: backfilled orders do not record the "points earned"
 * Flow event (a Flow that emails each award would mail every past buyer at
 * once); tier changes they cause record theirs as usual.
 */
import type { LedgerKind, Member, Prisma } from "@prisma/client";
import { noteFollowUp } from "../jobs/follow-ups.server";
import { partsColumns, type OrderWithRefunds } from "../db/orders.server";
import { ensureProgram, settingsOf, tierRulesOf } from "../db/program.server";
import type { Tx } from "../db/tx.server";
import { netEligible, orderPoints, splitChange } from "../loyalty/order-points";
import { evaluateTier, tierRank, windowStart } from "../loyalty/tiers";
import type { OrderSnapshot } from "../shopify/order-payload";
import { applyOrderEventIn, awardTerms, eligibleOf } from "./order-points.server";
import { applyOrderCodes } from "./reward-lifecycle.server";
import { FLOW_TRIGGERS, customerIdOf } from "../db/flow-events.server";
import { reserveTierEntryReward } from "./tier-entry-reward.server";

export interface BatchOutcome {
  /** Orders applied. */
  orders: number;
  /** Orders whose points changed. */
  credited: number;
  /** Net change in points. */
  points: number;
}

interface MemberState {
  row: Member;
  balance: number;
  pending: number;
  tierKey: string | null;
  tierHeldUntil: Date | null;
  tierChangedAt: Date | null;
  activityAt: Date | null;
  bumps: number;
  activity: { spend: bigint; points: bigint; orders: bigint };
  changes: { from: string | null; to: string | null }[];
  /** Order figures to add (refreshMemberOrderStats, incrementally: the stored ones are current). */
  stats: { orders: number; spentMilli: bigint; lastOrderAt: Date | null };
}

const text = (values: readonly (string | null)[]) => values as (string | null)[];

/** Applies paid-order snapshots (each order once) in order of the array. */
export async function applyPaidOrders(
  tx: Tx,
  shop: string,
  snapshots: readonly OrderSnapshot[],
  now: Date,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { orders: 0, credited: 0, points: 0 };
  if (snapshots.length === 0) return outcome;
  const program = await ensureProgram(tx, shop);

  // 1. Claim the records of orders Regulars has never seen (a concurrent
  //    webhook's INSERT of the same order waits for this transaction).
  const seen = new Set<string>();
  const unique = snapshots.filter((s) => !seen.has(s.orderGid) && seen.add(s.orderGid));
  const ids = unique.map(() => `ord_${crypto.randomUUID()}`);
  const claimed = await tx.$queryRaw<{ orderGid: string; id: string }[]>`
    INSERT INTO "OrderRecord" (id, shop, "orderGid", "updatedAt")
    SELECT v.id, ${shop}, v.gid, now()
      FROM unnest(${text(ids)}::text[], ${text(unique.map((s) => s.orderGid))}::text[]) AS v(id, gid)
    ON CONFLICT (shop, "orderGid") DO NOTHING
    RETURNING "orderGid", id`;
  const recordIds = new Map(claimed.map((row) => [row.orderGid, row.id]));
  const fresh = unique.filter((s) => recordIds.has(s.orderGid));

  // 2. Orders already known (and a repeat of one in this batch): the engine,
  //    one at a time, under the order's lock; usually no change.
  const freshSet = new Set(fresh);
  for (const snapshot of snapshots) {
    if (freshSet.has(snapshot)) continue;
    const result = await applyOrderEventIn(tx, shop, { type: "backfill", snapshot }, now, { program });
    outcome.orders++;
    if (result.change !== 0) outcome.credited++;
    outcome.points += result.change;
  }
  if (fresh.length === 0) return outcome;

  // 3. Our codes used by these orders (rare): as the engine does, before the award.
  const codes = [...new Set(fresh.flatMap((s) => s.discountCodes.map((c) => c.toUpperCase())))];
  if (codes.length > 0) {
    const ours = new Set(
      (await tx.redemption.findMany({ where: { shop, code: { in: codes } }, select: { code: true } })).map(
        (r) => r.code,
      ),
    );
    for (const s of fresh) {
      if (!s.discountCodes.some((c) => ours.has(c.toUpperCase()))) continue;
      await applyOrderCodes(
        tx,
        shop,
        {
          orderGid: s.orderGid,
          discountCodes: s.discountCodes,
          cancelledAt: s.cancelled ? s.updatedAt : null,
        },
        program,
        now,
      );
    }
  }

  // 4. Members: created or updated with what the orders say (a known field is
  //    never erased), locked, with their activity in the tier window.
  const identities = new Map<
    string,
    { email: string | null; firstName: string | null; lastName: string | null }
  >();
  for (const s of fresh) {
    if (!s.customer) continue;
    const before = identities.get(s.customer.customerGid);
    identities.set(s.customer.customerGid, {
      email: s.customer.email ?? before?.email ?? null,
      firstName: s.customer.firstName ?? before?.firstName ?? null,
      lastName: s.customer.lastName ?? before?.lastName ?? null,
    });
  }
  const customerGids = [...identities.keys()].sort();
  const members = new Map<string, MemberState>();
  const settings = settingsOf(program);
  const tiers = tierRulesOf(program.tiers);
  const since = windowStart(settings.tierWindow, now) ?? new Date(0);
  if (customerGids.length > 0) {
    const rows = await tx.$queryRaw<Member[]>`
      INSERT INTO "Member" (id, shop, "customerGid", email, "firstName", "lastName", "updatedAt")
      SELECT v.id, ${shop}, v.gid, v.email, v.first, v.last, now()
        FROM unnest(${text(customerGids.map(() => `mbr_${crypto.randomUUID()}`))}::text[],
                    ${text(customerGids)}::text[],
                    ${text(customerGids.map((g) => identities.get(g)!.email))}::text[],
                    ${text(customerGids.map((g) => identities.get(g)!.firstName))}::text[],
                    ${text(customerGids.map((g) => identities.get(g)!.lastName))}::text[])
             AS v(id, gid, email, first, last)
      ON CONFLICT (shop, "customerGid") DO UPDATE
         SET email = COALESCE(EXCLUDED.email, "Member".email),
             "firstName" = COALESCE(EXCLUDED."firstName", "Member"."firstName"),
             "lastName" = COALESCE(EXCLUDED."lastName", "Member"."lastName"),
             "updatedAt" = now()
      RETURNING *`;
    const activity = await tx.$queryRaw<
      { customerGid: string; spend: bigint | null; points: bigint | null; orders: bigint }[]
    >`
      SELECT "customerGid", sum("netEligibleMilli")::bigint AS spend, sum(points)::bigint AS points,
             count(*) FILTER (WHERE "netEligibleMilli" > 0)::bigint AS orders
        FROM "OrderRecord"
       WHERE shop = ${shop} AND "customerGid" = ANY(${text(customerGids)}::text[])
         AND "awardedAt" IS NOT NULL AND "cancelledAt" IS NULL AND "paidAt" >= ${since}
       GROUP BY "customerGid"`;
    const activityOf = new Map(activity.map((a) => [a.customerGid, a]));
    for (const row of rows) {
      const a = activityOf.get(row.customerGid);
      members.set(row.customerGid, {
        row,
        balance: row.balance,
        pending: row.pending,
        tierKey: row.tierKey,
        tierHeldUntil: row.tierHeldUntil,
        tierChangedAt: row.tierChangedAt,
        activityAt: null,
        bumps: 0,
        activity: { spend: a?.spend ?? 0n, points: a?.points ?? 0n, orders: BigInt(a?.orders ?? 0n) },
        changes: [],
        stats: { orders: 0, spentMilli: 0n, lastOrderAt: null },
      });
    }
  }

  // 5. Each order in turn: its facts, then (paid, not test, with a customer,
  //    program on) the award terms, the points, the ledger entry and the tier.
  const orderRows: Prisma.OrderRecordCreateManyInput[] = [];
  const refunds: Prisma.OrderRefundCreateManyInput[] = [];
  const entries: Prisma.LedgerEntryCreateManyInput[] = [];
  for (const s of fresh) {
    const id = recordIds.get(s.orderGid)!;
    const cancelledAt = s.cancelled ? s.updatedAt : null;
    for (const refund of s.refunds) {
      refunds.push({
        shop,
        orderId: id,
        refundGid: refund.refundGid,
        refundedAt: refund.createdAt,
        ...partsColumns(refund.parts),
      });
    }
    const row: Prisma.OrderRecordCreateManyInput = {
      id,
      shop,
      orderGid: s.orderGid,
      customerGid: s.customer?.customerGid ?? null,
      currency: s.currency,
      test: s.test,
      taxesIncluded: s.taxesIncluded,
      snapshotAt: s.updatedAt,
      ...partsColumns(s.gross),
      paidAt: s.paidAt,
      cancelledAt,
      discountCodes: s.discountCodes,
    };
    orderRows.push(row);
    outcome.orders++;
    const member = s.customer ? members.get(s.customer.customerGid) : undefined;
    if (member && !s.test && cancelledAt === null) {
      // Revenue as orderRevenue counts it: merchandise, shipping, tax and tips, less refunds.
      const revenue = (p: { merchandise: bigint; shipping: bigint; tax: bigint; tips: bigint }) =>
        p.merchandise + p.shipping + p.tax + p.tips;
      member.stats.orders++;
      member.stats.spentMilli += s.refunds.reduce((sum, r) => sum - revenue(r.parts), revenue(s.gross));
      if (!member.stats.lastOrderAt || s.paidAt > member.stats.lastOrderAt)
        member.stats.lastOrderAt = s.paidAt;
    }
    if (s.test || !member || !program.active) continue;

    const terms = awardTerms({ paidAt: s.paidAt }, program, member.tierKey, now);
    const record = {
      ...row,
      ...terms,
      refunds: s.refunds.map((r) => ({
        merchandiseMilli: r.parts.merchandise,
        giftCardsMilli: r.parts.giftCards,
        shippingMilli: r.parts.shipping,
        taxMilli: r.parts.tax,
        tipsMilli: r.parts.tips,
      })),
    } as unknown as OrderWithRefunds;
    const facts = {
      paid: true,
      cancelled: cancelledAt !== null,
      ...eligibleOf(record),
      rateE4: terms.rateE4,
      multiplierE4: terms.multiplierE4,
    };
    const net = netEligible(facts);
    const points = orderPoints(facts);
    const move = splitChange(points, 0, terms.releasedAt !== null);
    Object.assign(row, terms, { netEligibleMilli: net, points, pendingPoints: move.pending });
    if (points !== 0) {
      const kind: LedgerKind = "EARN";
      member.balance += move.available;
      member.pending += move.pending;
      member.activityAt = now;
      member.bumps++;
      entries.push({
        shop,
        memberId: member.row.id,
        kind,
        points: move.available,
        pendingPoints: move.pending,
        balanceAfter: member.balance,
        pendingAfter: member.pending,
        sourceKey: `order:${s.orderGid}:paid`,
        orderGid: s.orderGid,
        rateE4: terms.rateE4,
        multiplierE4: terms.multiplierE4,
      });
      outcome.credited++;
      outcome.points += points;
    }
    // The tier, re-evaluated with this order counted (as reevaluateTier does).
    if (cancelledAt === null && s.paidAt >= since) {
      member.activity.spend += net;
      member.activity.points += BigInt(points);
      if (net > 0n) member.activity.orders += 1n;
    }
    const value =
      settings.tierBasis === "SPEND"
        ? member.activity.spend
        : settings.tierBasis === "POINTS"
          ? member.activity.points
          : member.activity.orders;
    const decision = evaluateTier({
      tiers,
      window: settings.tierWindow,
      grace: settings.tierGrace,
      value,
      current: { tierKey: member.tierKey, heldUntil: member.tierHeldUntil },
      now,
    });
    if (decision.changed) {
      member.changes.push({ from: member.tierKey, to: decision.tierKey });
      member.tierChangedAt = now;
    }
    member.tierKey = decision.tierKey;
    member.tierHeldUntil = decision.heldUntil;
  }

  // 6. Write: records, refunds, ledger, members, their order figures, tier side effects.
  await updateOrderRecords(tx, shop, orderRows, now);
  await insertRefunds(tx, refunds);
  await insertEntries(tx, shop, entries);
  const touched = [...members.values()];
  // A tier change is a change Shopify must learn (metafield, tag), as markMemberChanged notes.
  for (const m of touched) m.bumps += m.changes.length;
  const changed = touched.filter(
    (m) =>
      m.bumps > 0 ||
      m.stats.orders > 0 ||
      m.tierKey !== m.row.tierKey ||
      m.tierHeldUntil?.getTime() !== m.row.tierHeldUntil?.getTime(),
  );
  if (changed.length > 0) {
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    await tx.$executeRaw`
      UPDATE "Member" m
         SET balance = v.balance, pending = v.pending,
             "syncVersion" = m."syncVersion" + v.bumps,
             "lastActivityAt" = COALESCE(v.activity::timestamp(3), m."lastActivityAt"),
             "expiryWarnedAt" = CASE WHEN v.activity IS NULL THEN m."expiryWarnedAt" END,
             "tierKey" = v.tier, "tierHeldUntil" = v.held::timestamp(3),
             "tierChangedAt" = v.changed::timestamp(3),
             "orderCount" = m."orderCount" + v.orders,
             "totalSpentMilli" = m."totalSpentMilli" + v.spent::bigint,
             "lastOrderAt" = GREATEST(m."lastOrderAt", v.last_order::timestamp(3)),
             "updatedAt" = now()
        FROM unnest(${text(changed.map((m) => m.row.id))}::text[],
                    ${changed.map((m) => m.balance)}::int[],
                    ${changed.map((m) => m.pending)}::int[],
                    ${changed.map((m) => m.bumps)}::int[],
                    ${text(changed.map((m) => iso(m.activityAt)))}::text[],
                    ${text(changed.map((m) => m.tierKey))}::text[],
                    ${text(changed.map((m) => iso(m.tierHeldUntil)))}::text[],
                    ${text(changed.map((m) => iso(m.tierChangedAt)))}::text[],
                    ${changed.map((m) => m.stats.orders)}::int[],
                    ${text(changed.map((m) => String(m.stats.spentMilli)))}::text[],
                    ${text(changed.map((m) => iso(m.stats.lastOrderAt)))}::text[])
             AS v(id, balance, pending, bumps, activity, tier, held, changed, orders, spent, last_order)
       WHERE m.shop = ${shop} AND m.id = v.id`;
  }
  for (const m of changed) if (m.bumps > 0) noteFollowUp({ queue: "member-sync", shop, memberId: m.row.id });
  await tierChanges(tx, shop, program, touched, now);
  return outcome;
}

/**
 * What onTierChanged does for each change, in a few statements: the Flow
 * event (same dedupe key), and the entry reward of a tier reached upwards
 * (rare: only tiers that name one). The sync is already noted with the bumps.
 */
async function tierChanges(
  tx: Tx,
  shop: string,
  program: Awaited<ReturnType<typeof ensureProgram>>,
  members: MemberState[],
  now: Date,
): Promise<void> {
  const tiers = tierRulesOf(program.tiers);
  const name = (key: string | null) => (program.tiers.find((t) => t.key === key) ?? tiers[0])?.name ?? "None";
  const events: { key: string; payload: string }[] = [];
  for (const m of members) {
    for (const change of m.changes) {
      events.push({
        key: `tier:${m.row.id}:${now.toISOString()}:${change.to ?? "none"}`,
        payload: JSON.stringify({
          customer_id: customerIdOf(m.row.customerGid),
          "Previous tier": name(change.from),
          "New tier": name(change.to),
        }),
      });
      const reached = program.tiers.find((tier) => tier.key === change.to);
      if (reached?.entryRewardKey && tierRank(tiers, change.to) > tierRank(tiers, change.from)) {
        await reserveTierEntryReward(tx, shop, { ...m.row, tierKey: change.from }, reached, now);
      }
    }
  }
  if (events.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "FlowEvent" (id, shop, trigger, "dedupeKey", payload)
    SELECT v.id, ${shop}, ${FLOW_TRIGGERS.tierChanged}, v.key, v.payload::jsonb
      FROM unnest(${text(events.map(() => `flw_${crypto.randomUUID()}`))}::text[],
                  ${text(events.map((e) => e.key))}::text[],
                  ${text(events.map((e) => e.payload))}::text[]) AS v(id, key, payload)
    ON CONFLICT (shop, "dedupeKey") DO NOTHING`;
  noteFollowUp({ queue: "flow-send", shop });
}

async function insertRefunds(tx: Tx, rows: Prisma.OrderRefundCreateManyInput[]): Promise<void> {
  if (rows.length === 0) return;
  const big = (value: unknown) => String(value ?? 0);
  await tx.$executeRaw`
    INSERT INTO "OrderRefund" (id, shop, "refundGid", "orderId", "merchandiseMilli", "giftCardsMilli",
                               "shippingMilli", "taxMilli", "tipsMilli", "refundedAt")
    SELECT v.id, v.shop, v.gid, v.order_id, v.merch::bigint, v.gift::bigint, v.ship::bigint, v.tax::bigint,
           v.tips::bigint, v.at::timestamp(3)
      FROM unnest(${text(rows.map(() => `rfd_${crypto.randomUUID()}`))}::text[],
                  ${text(rows.map((r) => r.shop))}::text[],
                  ${text(rows.map((r) => r.refundGid))}::text[],
                  ${text(rows.map((r) => r.orderId))}::text[],
                  ${text(rows.map((r) => big(r.merchandiseMilli)))}::text[],
                  ${text(rows.map((r) => big(r.giftCardsMilli)))}::text[],
                  ${text(rows.map((r) => big(r.shippingMilli)))}::text[],
                  ${text(rows.map((r) => big(r.taxMilli)))}::text[],
                  ${text(rows.map((r) => big(r.tipsMilli)))}::text[],
                  ${text(rows.map((r) => (r.refundedAt as Date).toISOString()))}::text[])
           AS v(id, shop, gid, order_id, merch, gift, ship, tax, tips, at)
    ON CONFLICT (shop, "refundGid") DO NOTHING`;
}

async function insertEntries(tx: Tx, shop: string, rows: Prisma.LedgerEntryCreateManyInput[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "LedgerEntry" (shop, "memberId", kind, points, "pendingPoints", "balanceAfter", "pendingAfter",
                               "sourceKey", "orderGid", "rateE4", "multiplierE4")
    SELECT ${shop}, v.member, v.kind::"LedgerKind", v.points, v.pending, v.balance, v.pending_after, v.key,
           v.order_gid, v.rate, v.mult
      FROM unnest(${text(rows.map((r) => r.memberId))}::text[],
                  ${text(rows.map((r) => r.kind))}::text[],
                  ${rows.map((r) => r.points)}::int[],
                  ${rows.map((r) => r.pendingPoints ?? 0)}::int[],
                  ${rows.map((r) => r.balanceAfter)}::int[],
                  ${rows.map((r) => r.pendingAfter)}::int[],
                  ${text(rows.map((r) => r.sourceKey))}::text[],
                  ${text(rows.map((r) => r.orderGid ?? null))}::text[],
                  ${rows.map((r) => r.rateE4 ?? null)}::int[],
                  ${rows.map((r) => r.multiplierE4 ?? null)}::int[])
           WITH ORDINALITY AS v(member, kind, points, pending, balance, pending_after, key, order_gid, rate, mult, ord)
     ORDER BY v.ord`;
}

/** Writes the facts and award of newly claimed records, in one statement. */
async function updateOrderRecords(
  tx: Tx,
  shop: string,
  rows: Prisma.OrderRecordCreateManyInput[],
  now: Date,
): Promise<void> {
  const col = <T>(pick: (row: Prisma.OrderRecordCreateManyInput) => T) => rows.map(pick);
  const big = (value: unknown) => (value === undefined || value === null ? "0" : String(value));
  const date = (value: unknown) => (value instanceof Date ? value.toISOString() : null);
  await tx.$executeRaw`
    UPDATE "OrderRecord" o
       SET "customerGid" = v.customer, currency = v.currency, test = v.test,
           "taxesIncluded" = v.taxes, "snapshotAt" = v.snapshot::timestamp(3),
           "merchandiseMilli" = v.merch::bigint, "giftCardsMilli" = v.gift::bigint,
           "shippingMilli" = v.ship::bigint, "taxMilli" = v.tax::bigint, "tipsMilli" = v.tips::bigint,
           "paidAt" = v.paid::timestamp(3), "cancelledAt" = v.cancelled::timestamp(3),
           "awardedAt" = v.awarded::timestamp(3), "rateE4" = v.rate, "multiplierE4" = v.mult,
           "includeShipping" = v.inc_ship, "includeTax" = v.inc_tax, "includeTips" = v.inc_tips,
           "includeGiftCards" = v.inc_gift, "netEligibleMilli" = v.net::bigint, points = v.points,
           "pendingPoints" = v.pending, "releaseAt" = v.release_at::timestamp(3),
           "releasedAt" = v.released::timestamp(3),
           "discountCodes" = ARRAY(SELECT json_array_elements_text(v.codes::json)),
           "updatedAt" = ${now}
      FROM unnest(
        ${text(col((r) => r.id!))}::text[],
        ${text(col((r) => r.customerGid ?? null))}::text[],
        ${text(col((r) => r.currency ?? null))}::text[],
        ${col((r) => r.test ?? false)}::boolean[],
        ${col((r) => r.taxesIncluded ?? false)}::boolean[],
        ${text(col((r) => date(r.snapshotAt)))}::text[],
        ${text(col((r) => big(r.merchandiseMilli)))}::text[],
        ${text(col((r) => big(r.giftCardsMilli)))}::text[],
        ${text(col((r) => big(r.shippingMilli)))}::text[],
        ${text(col((r) => big(r.taxMilli)))}::text[],
        ${text(col((r) => big(r.tipsMilli)))}::text[],
        ${text(col((r) => date(r.paidAt)))}::text[],
        ${text(col((r) => date(r.cancelledAt)))}::text[],
        ${text(col((r) => date(r.awardedAt)))}::text[],
        ${col((r) => r.rateE4 ?? null)}::int[],
        ${col((r) => r.multiplierE4 ?? null)}::int[],
        ${col((r) => r.includeShipping ?? false)}::boolean[],
        ${col((r) => r.includeTax ?? false)}::boolean[],
        ${col((r) => r.includeTips ?? false)}::boolean[],
        ${col((r) => r.includeGiftCards ?? false)}::boolean[],
        ${text(col((r) => big(r.netEligibleMilli)))}::text[],
        ${col((r) => r.points ?? 0)}::int[],
        ${col((r) => r.pendingPoints ?? 0)}::int[],
        ${text(col((r) => date(r.releaseAt)))}::text[],
        ${text(col((r) => date(r.releasedAt)))}::text[],
        ${text(col((r) => JSON.stringify(r.discountCodes ?? [])))}::text[]
      ) AS v(id, customer, currency, test, taxes, snapshot, merch, gift, ship, tax, tips, paid, cancelled,
             awarded, rate, mult, inc_ship, inc_tax, inc_tips, inc_gift, net, points, pending, release_at,
             released, codes)
     WHERE o.shop = ${shop} AND o.id = v.id`;
}
