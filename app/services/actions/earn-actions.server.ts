/**
 * Ways to earn beyond orders (docs/decisions/0023-points-for-actions.md): the merchant's rules,
 * and the awards for a newsletter signup (customers/create and customers/update), a product
 * review (the signed review API) and a social follow (the app proxy). Each award is one BONUS
 * ledger entry with the rule in `action`, under the member's lock, keyed by
 * app/loyalty/earn-rules.ts (actionSourceKey): a repeated call or delivery finds its key and adds
 * nothing.
 */
import type { PrismaClient } from "@prisma/client";
import {
  appendEntry,
  findLedgerEntry,
  lockMember,
  memberOfCustomer,
  upsertMember,
} from "../../db/members.server";
import { lockEarnRules, pastAwards, saveEarnRule, savedEarnRules } from "../../db/earn-rules.server";
import { ensureProgram, markProgramChanged } from "../../db/program.server";
import { inTransaction, type Tx } from "../../db/tx.server";
import {
  actionNote,
  actionSourceKey,
  allEarnRules,
  checkEarnRules,
  enabledSince,
  mayEarn,
  newsletterEarns,
  type AwardRefusal,
  type EarnRule,
  type EarnRuleInput,
  type EarnRuleKey,
} from "../../loyalty/earn-rules";
import { isExcludedCustomer } from "../../loyalty/exclusions";
import { SettingsError } from "../program/program-settings.server";
import { forgetProgramExplainer } from "../program/program-explainer-cache.server";

/** Every rule, saved or at its defaults. */
export async function earnRules(db: PrismaClient | Tx, shop: string): Promise<EarnRule[]> {
  return allEarnRules(await savedEarnRules(db, shop));
}

/**
 * Saves the rules the merchant sent (the others stay as they are); SettingsError with field
 * errors ("review.points") and nothing written when any is wrong. A rule turned on records
 * when (the newsletter's "from now on"); the storefront's copy of the program re-syncs.
 */
export async function saveEarnRules(
  db: PrismaClient,
  shop: string,
  input: Partial<Record<EarnRuleKey, EarnRuleInput>>,
  now: Date,
): Promise<EarnRule[]> {
  const checked = checkEarnRules(input);
  if (!checked.ok) throw new SettingsError(checked.errors);
  const rules = await inTransaction(db, async (tx) => {
    await ensureProgram(tx, shop);
    const saved = await lockEarnRules(tx, shop);
    for (const rule of checked.rules) {
      const before = saved.find((each) => each.key === rule.key) ?? null;
      await saveEarnRule(tx, shop, { ...rule, enabledAt: enabledSince(before, rule.enabled, now) });
    }
    await markProgramChanged(tx, shop);
    return earnRules(tx, shop);
  });
  forgetProgramExplainer(shop);
  return rules;
}

export type AwardResult =
  | { status: "awarded"; points: number; sourceKey: string; balance: number }
  /** The same occurrence (or the once key) was paid before: nothing new. */
  | { status: "already_awarded"; points: number; sourceKey: string; balance: number }
  | { status: "refused"; reason: AwardRefusal | "program_paused" | "excluded" | "occurrence_reused" };

/**
 * Gives the member the rule's points if its limit allows, in the caller's transaction. With an
 * occurrence (a review's id) the key is the occurrence's: sent again, it answers what it did the
 * first time; sent for another customer, it is refused (occurrence_reused).
 */
async function award(
  tx: Tx,
  shop: string,
  input: { rule: EarnRule; customerGid: string; occurrence?: string; now: Date },
): Promise<AwardResult> {
  const { rule, customerGid, occurrence, now } = input;
  const sourceKey = actionSourceKey({ rule: rule.key, limit: rule.limit, customerGid, occurrence, now });
  // Reads first: a refused call writes nothing (not even a member).
  const known = await memberOfCustomer(tx, shop, customerGid);
  const earlier = await findLedgerEntry(tx, shop, sourceKey);
  if (earlier) {
    if (earlier.memberId !== known?.id) return { status: "refused", reason: "occurrence_reused" };
    return { status: "already_awarded", points: earlier.points, sourceKey, balance: known.balance };
  }
  if (!rule.enabled) return { status: "refused", reason: "rule_off" };
  const program = await ensureProgram(tx, shop);
  if (!program.active) return { status: "refused", reason: "program_paused" };
  // A customer left out of the program (an excluded tag) earns nothing (decision 0021).
  if (known && isExcludedCustomer(known.tags, program.excludedTags))
    return { status: "refused", reason: "excluded" };
  const member = await lockMember(tx, shop, (known ?? (await upsertMember(tx, shop, customerGid, {}))).id);
  // Under the member's lock: a concurrent call for the same key or limit has finished.
  const again = await findLedgerEntry(tx, shop, sourceKey);
  if (again) return { status: "already_awarded", points: again.points, sourceKey, balance: member.balance };
  const refusal = mayEarn(rule, await pastAwards(tx, shop, member.id, rule.key), now);
  if (refusal) return { status: "refused", reason: refusal };
  const after = await appendEntry(tx, shop, member, {
    kind: "BONUS",
    points: rule.points,
    sourceKey,
    note: actionNote(rule.key),
    action: rule.key,
    activityAt: now,
    // Dated by the app's clock, which the rule's limits read (pastAwards).
    occurredAt: now,
  });
  return { status: "awarded", points: rule.points, sourceKey, balance: after.balance };
}

/** One rule of the shop, saved or default. */
async function ruleOf(tx: Tx | PrismaClient, shop: string, key: EarnRuleKey): Promise<EarnRule> {
  return (await earnRules(tx, shop)).find((rule) => rule.key === key)!;
}

/**
 * customers/create and customers/update: the newsletter points when the payload says the
 * customer's email marketing consent is "subscribed", dated from when the rule was turned on
 * (newsletterEarns). Any order of deliveries gives the same ledger: the award's key is once per
 * customer, and whether a payload earns depends only on its own consent and its date, so a
 * late or repeated delivery, an unsubscribe then a new subscription, pays at most once. Runs in
 * the customer handler's transaction.
 */
export async function awardNewsletter(
  tx: Tx,
  shop: string,
  customer: { customerGid: string; emailConsent?: string | null; consentAt?: Date | null },
  now: Date,
): Promise<number> {
  const rule = await ruleOf(tx, shop, "newsletter");
  if (!newsletterEarns({ rule, state: customer.emailConsent, consentAt: customer.consentAt ?? null }))
    return 0;
  const result = await award(tx, shop, { rule, customerGid: customer.customerGid, now });
  return result.status === "awarded" ? result.points : 0;
}

/** A review app says the customer wrote review `reviewId` (the signed review API). */
export async function awardReview(
  db: PrismaClient,
  shop: string,
  input: { customerGid: string; reviewId: string },
  now: Date,
): Promise<AwardResult> {
  return inTransaction(db, async (tx) => {
    const rule = await ruleOf(tx, shop, "review");
    return award(tx, shop, { rule, customerGid: input.customerGid, occurrence: input.reviewId, now });
  });
}

/** The shopper says they followed the shop on a network (honour system): once per rule. */
export async function awardFollow(
  db: PrismaClient,
  shop: string,
  input: { customerGid: string; rule: EarnRuleKey },
  now: Date,
): Promise<AwardResult> {
  return inTransaction(db, async (tx) => {
    const rule = await ruleOf(tx, shop, input.rule);
    // A follow rule without its link is not shown, so it cannot have been followed.
    if (rule.url === null) return { status: "refused", reason: "rule_off" };
    return award(tx, shop, { rule, customerGid: input.customerGid, now });
  });
}
