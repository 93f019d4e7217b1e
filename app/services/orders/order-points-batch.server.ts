/**
 * The points engine for many paid orders at once (a backfill), in the
 * caller's transaction. An order Regulars already knows (a webhook or an
 * earlier run recorded it) goes through the engine's own applyOrderEventIn,
 * one at a time, under its row lock. An order Regulars has never seen takes
 * the set-based path below: the same rules, as the same pure functions
 * (app/loyalty/order-credit.ts: whether it earns, award terms, points and
 * pending split, ledger key; app/loyalty/tiers.ts: the tier before the order
 * and after it), the same records, written with a few statements per batch
 * (app/db/order-batch.server.ts), each row written once. Only the reading and
 * writing differ.
 *
 * Concurrency: the batch locks the members it reads; then it inserts its
 * order records, which the unique (shop, orderGid) index lets only one
 * transaction do. If a webhook recorded one of the orders (or created one of
 * the members) meanwhile, the insert says so (fewer rows) or gives up waiting
 * for that webhook's row lock, and the whole batch throws BatchConflict, rolls
 * back and is retried: the order is then known and goes through the engine.
 * So an order is credited by one or the other, never both.
 *
 * Difference by design: backfilled orders do not record the "points earned"
 * Flow event (a Flow that emails each award would mail every past buyer at
 * once); tier changes they cause record theirs as usual. The inbox's
 * orders/paid deliveries use this path too (`source: "orders/paid"`), and
 * theirs do record it.
 */
import type { ProgramSettings } from "../../loyalty/program";
import { noteFollowUp } from "../../jobs/follow-ups.server";
import {
  failFastOnLocks,
  insertEarnEntries,
  insertFlowEvents,
  insertMembers,
  insertOrderRecords,
  insertRefunds,
  knownOrderGids,
  lockMembersOf,
  sequentialId,
  tierActivityOf,
  updateMembers,
  type EarnEntryWrite,
  type MemberWrite,
  type OrderRecordWrite,
  type RefundWrite,
} from "../../db/order-batch.server";
import { readMember } from "../../db/members.server";
import { redemptionCodesAmong } from "../../db/redemptions.server";
import { ensureProgram, settingsOf, tierRulesOf, type ProgramWithTiers } from "../../db/program.server";
import type { SqlSession } from "../../db/sql-in-transaction.server";
import type { Tx } from "../../db/tx.server";
import {
  awardTerms,
  entryOccurredAt,
  notCredited,
  orderCredit,
  sourceKey,
  type AwardTerms,
} from "../../loyalty/order-credit";
import {
  countInActivity,
  evaluateTier,
  tierRank,
  tierValue,
  windowStart,
  type TierActivity,
} from "../../loyalty/tiers";
import type { OrderSnapshot } from "../../shopify/payloads/order-payload";
import { shippingAddressHash } from "../referrals/address-hash.server";
import { applyOrderEventIn, type OrderOutcome } from "./order-points.server";
import { bonusEventsCovering } from "../../db/bonus-events.server";
import { scopeOf, type BonusEventRule, type OrderScope } from "../../loyalty/bonus-events";
import type { AdminGraphql } from "../../shopify/admin-api/admin-client.server";
import { lookUpOrderScopes } from "../bonus-events/collection-scope.server";
import { applyOrderCodes } from "../rewards/reward-lifecycle.server";
import { noteReferralOrders } from "../referrals/referrals.server";
import { FLOW_TRIGGERS, customerIdOf } from "../../db/flow-events.server";
import { reserveTierEntryReward } from "../tiers/tier-entry-reward.server";

export interface BatchOutcome {
  /** What each snapshot did, in the order given (as the engine reports it for one order). */
  results: OrderOutcome[];
  /** Orders applied. */
  orders: number;
  /** Orders whose points changed. */
  credited: number;
  /** Net change in points. */
  points: number;
  /** Orders Regulars knew already (through the engine one by one). */
  known: number;
}

export interface BatchOptions {
  /**
   * Look up first which orders Regulars knows already (the default). Without
   * the lookup the batch takes every order for new, and an order that was not
   * throws BatchConflict when its record is inserted: cheaper for a run that
   * meets only new orders, for the retry to look up.
   */
  checkKnown?: boolean;
  /**
   * Where the snapshots come from. `backfill` (the default): a past order, no
   * "points earned" Flow event (see above). `orders/paid`: the orders/paid
   * webhooks of the inbox (app/services/orders/inbox-paid-orders.server.ts), applied
   * exactly as the engine applies orders/paid one by one, Flow events included.
   */
  source?: "backfill" | "orders/paid";
  /**
   * The orders' products looked up in the collections of the bonus events covering them
   * (lookUpSnapshotScopes, before the transaction). An order such an event covers and this
   * does not hold throws CollectionsNotLookedUp: the batch is retried (decision 0022).
   */
  scopes?: ReadonlyMap<string, OrderScope>;
}

/**
 * Before a batch's transaction: the collection lookups its orders need (none without an
 * event limited to collections covering them). Throws when a lookup fails, so the batch is
 * retried rather than credited without its bonus.
 */
export async function lookUpSnapshotScopes(
  db: Tx,
  admin: AdminGraphql | null,
  shop: string,
  snapshots: readonly OrderSnapshot[],
): Promise<Map<string, OrderScope>> {
  if (snapshots.length === 0) return new Map();
  const paidTimes = snapshots.map((s) => s.paidAt.getTime());
  const events = await bonusEventsCovering(
    db,
    shop,
    new Date(Math.min(...paidTimes)),
    new Date(Math.max(...paidTimes)),
  );
  if (!events.some((event) => event.collectionGids.length > 0)) return new Map();
  return lookUpOrderScopes(
    admin,
    shop,
    events,
    snapshots.map((s) => ({ orderGid: s.orderGid, paidAt: s.paidAt, lines: s.lineAmounts ?? [] })),
  );
}

/** Another transaction took an order or a member of the batch first: retry the batch. */
class BatchConflict extends Error {
  constructor(what: string) {
    super(`${what} of the batch was recorded by another transaction meanwhile; the batch is retried`);
    this.name = "BatchConflict";
  }
}

/** PostgreSQL's lock_not_available (lock_timeout) and deadlock_detected. */
const RETRYABLE_CODES = new Set(["55P03", "40P01"]);

/**
 * Runs a batch's transaction again, after a short wait, when it lost an order
 * or a member to another transaction (isBatchConflict), up to `tries` times.
 */
export async function retryBatchConflicts<T>(
  tries: number,
  attempt: (tries: number) => Promise<T>,
): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt(tried);
    } catch (error) {
      if (tried >= tries || !isBatchConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 * tried));
    }
  }
}

/** True for errors after which the whole batch can simply run again. */
function isBatchConflict(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    if (cause instanceof BatchConflict) return true;
    const { code, message, meta } = cause as { code?: unknown; message?: unknown; meta?: { code?: unknown } };
    if (RETRYABLE_CODES.has(String(code)) || RETRYABLE_CODES.has(String(meta?.code))) return true;
    if (typeof message === "string" && /\b(55P03|40P01)\b|lock timeout|deadlock detected/.test(message)) {
      return true;
    }
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

interface MemberState {
  write: MemberWrite;
  isNew: boolean;
  /** The tier as read, to know whether it changed. */
  readTier: { key: string | null; heldUntil: Date | null };
  activity: TierActivity;
  changes: { from: string | null; to: string | null }[];
  /** The tags stored before the batch (what an order that does not carry them is checked with). */
  storedTags: string[];
}

interface Rules {
  /** The event the snapshots stand for. */
  type: "paid" | "backfill";
  program: ProgramWithTiers;
  settings: ProgramSettings;
  tiers: ReturnType<typeof tierRulesOf>;
  since: Date;
  /** The bonus events covering the batch's processed times (decision 0022). */
  events: readonly BonusEventRule[];
  /** Their collection lookups, by order. */
  scopes: ReadonlyMap<string, OrderScope>;
}

/**
 * Applies paid-order snapshots (each order once) in order of the array, in
 * the transaction of `tx`, whose connection `sql` is (transactionWithSql).
 */
export async function applyPaidOrders(
  tx: Tx,
  sql: SqlSession,
  shop: string,
  snapshots: readonly OrderSnapshot[],
  now: Date,
  options: BatchOptions = {},
): Promise<BatchOutcome> {
  if (snapshots.length === 0) return { results: [], orders: 0, credited: 0, points: 0, known: 0 };
  const type = options.source === "orders/paid" ? "paid" : "backfill";
  const program = await ensureProgram(tx, shop);
  const settings = settingsOf(program);
  const paidTimes = snapshots.map((s) => s.paidAt.getTime());
  const rules: Rules = {
    type,
    program,
    settings,
    tiers: tierRulesOf(program.tiers),
    since: windowStart(settings.tierWindow, now) ?? new Date(0),
    events: await bonusEventsCovering(
      tx,
      shop,
      new Date(Math.min(...paidTimes)),
      new Date(Math.max(...paidTimes)),
    ),
    scopes: options.scopes ?? new Map(),
  };
  const results: (OrderOutcome | undefined)[] = new Array(snapshots.length);
  let known = 0;
  const throughEngine = async (i: number) => {
    results[i] = await applyOrderEventIn(tx, shop, { type, snapshot: snapshots[i]! }, now, {
      program,
      events: rules.events,
      scope: rules.scopes.get(snapshots[i]!.orderGid),
    });
    known++;
  };

  // 1. Orders already known go through the engine, one at a time, under their lock
  //    (usually no change); a repeat of an order within the batch, after it.
  const firsts = new Map<string, number>();
  const repeats: number[] = [];
  snapshots.forEach((s, i) => {
    if (firsts.has(s.orderGid)) repeats.push(i);
    else firsts.set(s.orderGid, i);
  });
  const recorded =
    options.checkKnown === false ? new Set<string>() : await knownOrderGids(sql, shop, [...firsts.keys()]);
  const freshAt: number[] = [];
  for (const [orderGid, i] of firsts) {
    if (recorded.has(orderGid)) await throughEngine(i);
    else freshAt.push(i);
  }

  if (freshAt.length > 0) {
    const fresh = freshAt.map((i) => snapshots[i]!);
    await applyOurCodes(tx, shop, program, fresh, now);
    await noteReferralOrders(tx, shop, fresh);
    const members = await lockMembers(sql, shop, fresh, rules.since);
    const writes = applyRules(shop, fresh, members, rules, now);
    writes.results.forEach((result, k) => (results[freshAt[k]!] = result));

    // Written once each. A member or an order a webhook recorded meanwhile: retry.
    await failFastOnLocks(sql);
    const states = [...members.values()];
    // Orders and refunds first: the members' order figures are counted from them.
    if ((await insertOrderRecords(sql, shop, writes.orders, now)) !== writes.orders.length) {
      throw new BatchConflict("An order");
    }
    await insertRefunds(sql, shop, writes.refunds);
    const created = states.filter((m) => m.isNew).map((m) => m.write);
    if ((await insertMembers(sql, shop, created)) !== created.length) throw new BatchConflict("A member");
    await insertEarnEntries(sql, shop, writes.entries);
    await updateMembers(
      sql,
      shop,
      states.filter((m) => !m.isNew).map((m) => m.write),
    );
    for (const m of states) {
      if (m.write.bumps > 0) noteFollowUp({ queue: "member-sync", shop, memberId: m.write.id });
    }
    if (options.source === "orders/paid") await pointsEarned(sql, shop, states, writes.entries);
    await tierChanges(tx, sql, shop, program, states, now);
  }

  for (const i of repeats) await throughEngine(i);
  const changed = (results as OrderOutcome[]).filter((r) => r.change !== 0);
  return {
    results: results as OrderOutcome[],
    orders: snapshots.length,
    credited: changed.length,
    points: changed.reduce((sum, r) => sum + r.change, 0),
    known,
  };
}

/** The "points earned" Flow event of each award, as appendEntry records it for an EARN entry. */
async function pointsEarned(
  sql: SqlSession,
  shop: string,
  members: readonly MemberState[],
  entries: readonly EarnEntryWrite[],
): Promise<void> {
  const customerOf = new Map(members.map((m) => [m.write.id, m.write.customerGid]));
  const events = entries
    .filter((e) => e.points + e.pendingPoints > 0)
    .map((e) => ({
      dedupeKey: `earned:${e.sourceKey}`,
      payload: {
        customer_id: customerIdOf(customerOf.get(e.memberId)!),
        Points: e.points + e.pendingPoints,
        Balance: e.balanceAfter,
        "Pending points": e.pendingAfter,
        Reason: "EARN",
      },
    }));
  if (events.length === 0) return;
  await insertFlowEvents(sql, shop, FLOW_TRIGGERS.pointsEarned, events);
  noteFollowUp({ queue: "flow-send", shop });
}

/** Our codes used by these orders (rare): as the engine does, before the award. */
async function applyOurCodes(
  tx: Tx,
  shop: string,
  program: ProgramWithTiers,
  orders: readonly OrderSnapshot[],
  now: Date,
): Promise<void> {
  const codes = [...new Set(orders.flatMap((s) => s.discountCodes.map((c) => c.toUpperCase())))];
  if (codes.length === 0) return;
  const ours = await redemptionCodesAmong(tx, shop, codes);
  if (ours.size === 0) return;
  for (const s of orders) {
    if (!s.discountCodes.some((c) => ours.has(c.toUpperCase()))) continue;
    await applyOrderCodes(
      tx,
      shop,
      { orderGid: s.orderGid, discountCodes: s.discountCodes, cancelledAt: s.cancelled ? s.updatedAt : null },
      program,
      now,
    );
  }
}

/**
 * The members of these orders: existing ones locked, with their activity in
 * the tier window; ones first seen here start empty (nothing to read) and are
 * inserted with the rest of the batch. Identity as the orders say (a known
 * field is never erased).
 */
async function lockMembers(
  sql: SqlSession,
  shop: string,
  orders: readonly OrderSnapshot[],
  since: Date,
): Promise<Map<string, MemberState>> {
  const members = new Map<string, MemberState>();
  for (const s of orders) {
    if (!s.customer) continue;
    const { customerGid, email, firstName, lastName } = s.customer;
    const state = members.get(customerGid);
    if (state) {
      state.write.email = email ?? state.write.email;
      state.write.firstName = firstName ?? state.write.firstName;
      state.write.lastName = lastName ?? state.write.lastName;
      continue;
    }
    members.set(customerGid, {
      write: {
        id: sequentialId("mbr"),
        customerGid,
        email: email ?? null,
        firstName: firstName ?? null,
        lastName: lastName ?? null,
        balance: 0,
        pending: 0,
        bumps: 0,
        activityAt: null,
        tierKey: null,
        tierHeldUntil: null,
        tierChangedAt: null,
        tags: null,
      },
      isNew: true,
      readTier: { key: null, heldUntil: null },
      activity: { spend: 0n, points: 0n, orders: 0n },
      changes: [],
      storedTags: [],
    });
  }
  const locked = await lockMembersOf(sql, shop, [...members.keys()]);
  const activity = await tierActivityOf(
    sql,
    shop,
    locked.map((row) => row.customerGid),
    since,
  );
  for (const row of locked) {
    const state = members.get(row.customerGid)!;
    state.isNew = false;
    Object.assign(state.write, {
      id: row.id,
      balance: row.balance,
      pending: row.pending,
      tierKey: row.tierKey,
      tierHeldUntil: row.tierHeldUntil,
      tierChangedAt: row.tierChangedAt,
    });
    state.readTier = { key: row.tierKey, heldUntil: row.tierHeldUntil };
    state.storedTags = row.tags;
    state.activity = { ...(activity.get(row.customerGid) ?? state.activity) };
  }
  return members;
}

/**
 * Each order in turn: its record, then (not test, with a customer, program
 * on) the award terms, the points, the ledger entry and the tier, by the
 * rules the engine applies to orders/paid (app/loyalty/order-credit.ts).
 * Changes `members` in place; their order figures are counted by the
 * statements that write them.
 */
function applyRules(
  shop: string,
  orders: readonly OrderSnapshot[],
  members: Map<string, MemberState>,
  rules: Rules,
  now: Date,
): {
  orders: OrderRecordWrite[];
  refunds: RefundWrite[];
  entries: EarnEntryWrite[];
  results: OrderOutcome[];
} {
  const { type, program, settings, tiers, since, events, scopes } = rules;
  // Award terms depend on the tier (and, with a pending period or a bonus event, on the order).
  const termsByTier = new Map<string | null, AwardTerms>();
  const termsOf = (s: OrderSnapshot, tierKey: string | null) => {
    const { paidAt } = s;
    if (events.length > 0) {
      return awardTerms(paidAt, settings, tiers, tierKey, now, {
        events,
        gross: s.gross,
        taxesIncluded: s.taxesIncluded,
        scope: scopeOf(s.lineAmounts ?? [], scopes.get(s.orderGid)),
      });
    }
    if (settings.pendingDays > 0) return awardTerms(paidAt, settings, tiers, tierKey, now);
    let terms = termsByTier.get(tierKey);
    if (!terms) termsByTier.set(tierKey, (terms = awardTerms(paidAt, settings, tiers, tierKey, now)));
    return terms;
  };
  const nothingCredited = { points: 0, pendingPoints: 0 };
  const records: OrderRecordWrite[] = [];
  const refunds: RefundWrite[] = [];
  const entries: EarnEntryWrite[] = [];
  const results: OrderOutcome[] = [];
  for (const s of orders) {
    const id = sequentialId("ord");
    const cancelledAt = s.cancelled ? s.updatedAt : null;
    for (const refund of s.refunds) {
      refunds.push({
        orderId: id,
        refundGid: refund.refundGid,
        refundedAt: refund.createdAt,
        merchandiseMilli: refund.parts.merchandise,
        giftCardsMilli: refund.parts.giftCards,
        shippingMilli: refund.parts.shipping,
        taxMilli: refund.parts.tax,
        shippingTaxMilli: refund.parts.shippingTax,
        tipsMilli: refund.parts.tips,
        byAmountMilli: refund.parts.byAmount,
      });
    }
    const record: OrderRecordWrite = {
      id,
      orderGid: s.orderGid,
      customerGid: s.customer?.customerGid ?? null,
      name: s.name ?? null,
      sourceName: s.sourceName ?? null,
      // A guest's order is held by its email until Shopify creates that customer (decision 0017).
      guestEmail: s.customer ? null : (s.email ?? null),
      shippingAddressHash: shippingAddressHash(shop, s.shippingAddressKey ?? null),
      b2b: s.b2b ?? false,
      currency: s.currency,
      test: s.test,
      taxesIncluded: s.taxesIncluded,
      snapshotAt: s.updatedAt,
      merchandiseMilli: s.gross.merchandise,
      giftCardsMilli: s.gross.giftCards,
      shippingMilli: s.gross.shipping,
      taxMilli: s.gross.tax,
      shippingTaxMilli: s.gross.shippingTax,
      tipsMilli: s.gross.tips,
      paidAt: s.paidAt,
      cancelledAt,
      discountCodes: s.discountCodes,
      lineAmounts: s.lineAmounts ?? null,
      award: null,
    };
    records.push(record);
    const member = s.customer ? members.get(s.customer.customerGid) : undefined;
    // The order's copy of the customer's tags is the newest known when it carries them, as the
    // engine stores them (exclusions: docs/decisions/0021-exclusions.md).
    if (member && s.customer?.tagsPresent) member.write.tags = s.customer.tags;
    const ignored = notCredited(
      {
        test: s.test,
        customerGid: record.customerGid,
        awarded: false,
        sourceName: record.sourceName,
        b2b: record.b2b,
        customerTags: member ? (member.write.tags ?? member.storedTags) : [],
      },
      program,
    );
    if (ignored || !member) {
      results.push({ orderGid: s.orderGid, points: 0, change: 0, ignored: ignored ?? "no customer" });
      continue;
    }

    const m = member.write;
    const terms = termsOf(s, m.tierKey);
    const credit = orderCredit(
      {
        cancelled: cancelledAt !== null,
        gross: s.gross,
        refunds: s.refunds.map((r) => r.parts),
        taxesIncluded: s.taxesIncluded,
      },
      terms,
      nothingCredited,
    );
    const { points, move } = credit;
    record.award = {
      ...terms,
      netEligibleMilli: credit.netEligibleMilli,
      points,
      eventPoints: credit.eventPoints,
      pendingPoints: move.pending,
    };
    results.push({ orderGid: s.orderGid, points, change: credit.change });
    if (credit.kind) {
      m.balance += move.available;
      m.pending += move.pending;
      m.activityAt = now;
      m.bumps++;
      entries.push({
        memberId: m.id,
        points: move.available,
        pendingPoints: move.pending,
        balanceAfter: m.balance,
        pendingAfter: m.pending,
        sourceKey: sourceKey({ type, snapshot: s }, true),
        occurredAt: entryOccurredAt({ type, snapshot: s }, true, s.paidAt, now),
        orderGid: s.orderGid,
        rateE4: terms.rateE4,
        multiplierE4: terms.multiplierE4,
      });
    }
    // The tier, re-evaluated with this order counted (as reevaluateTier does).
    countInActivity(
      member.activity,
      {
        cancelled: cancelledAt !== null,
        paidAt: s.paidAt,
        netEligibleMilli: credit.netEligibleMilli,
        points,
      },
      since,
    );
    const decision = evaluateTier({
      tiers,
      window: settings.tierWindow,
      grace: settings.tierGrace,
      value: tierValue(settings.tierBasis, member.activity),
      current: { tierKey: m.tierKey, heldUntil: m.tierHeldUntil },
      now,
    });
    if (decision.changed) {
      member.changes.push({ from: m.tierKey, to: decision.tierKey });
      m.tierChangedAt = now;
      // A tier change is a change Shopify must learn (metafield, tag), as markMemberChanged notes.
      m.bumps++;
    }
    m.tierKey = decision.tierKey;
    m.tierHeldUntil = decision.heldUntil;
  }
  return { orders: records, refunds, entries, results };
}

/**
 * What onTierChanged does for each change, in a statement or two: the Flow
 * event (same dedupe key), and the entry reward of a tier reached upwards
 * (rare: only tiers that name one). The sync is already noted with the bumps.
 */
async function tierChanges(
  tx: Tx,
  sql: SqlSession,
  shop: string,
  program: ProgramWithTiers,
  members: readonly MemberState[],
  now: Date,
): Promise<void> {
  const tiers = tierRulesOf(program.tiers);
  const name = (key: string | null) => (program.tiers.find((t) => t.key === key) ?? tiers[0])?.name ?? "None";
  const events: { dedupeKey: string; payload: object }[] = [];
  for (const m of members) {
    for (const change of m.changes) {
      events.push({
        dedupeKey: `tier:${m.write.id}:${now.toISOString()}:${change.to ?? "none"}`,
        payload: {
          customer_id: customerIdOf(m.write.customerGid),
          "Previous tier": name(change.from),
          "New tier": name(change.to),
        },
      });
      const reached = program.tiers.find((tier) => tier.key === change.to);
      if (reached?.entryRewardKey && tierRank(tiers, change.to) > tierRank(tiers, change.from)) {
        const row = await readMember(tx, m.write.id);
        await reserveTierEntryReward(tx, shop, { ...row, tierKey: change.from }, reached, now);
      }
    }
  }
  if (events.length === 0) return;
  await insertFlowEvents(sql, shop, FLOW_TRIGGERS.tierChanged, events);
  noteFollowUp({ queue: "flow-send", shop });
}
