/**
 * What the daily schedule does for a shop (the job runner calls it; it is
 * safe to run any number of times a day):
 *   - releases pending points whose pending period is over;
 *   - re-evaluates every member's tier (windows slide, grace periods end);
 *   - expires balances after the program's months without activity, and
 *     marks members in the warning period;
 *   - pays birthday bonuses that are due;
 *   - marks reward codes past their end as expired;
 *   - settles referrals whose first order's pending window has passed (pays, holds or voids);
 *   - brings the dashboard's rollups up to date (built if missing, every
 *     change folded), last, so they include the day's own changes.
 */
import type { PrismaClient } from "@prisma/client";
import { FLOW_TRIGGERS, recordFlowEvent } from "../../db/flow-events.server";
import {
  appendEntry,
  ledgerEntryExists,
  lockMember,
  markBirthdayBonusGiven,
  markExpiryWarned,
  memberIdsPage,
  membersDueABirthdayBonus,
  membersWhosePointsCanExpire,
} from "../../db/members.server";
import { ensureProgram, settingsOf } from "../../db/program.server";
import { inTransaction } from "../../db/tx.server";
import { birthdayBonusYear } from "../../loyalty/bonuses";
import { isExcludedCustomer } from "../../loyalty/exclusions";
import { expiryStatus } from "../../loyalty/expiry";
import { catchUpRollups } from "../dashboard/dashboard-rollups.server";
import { releaseDuePoints } from "../orders/order-points.server";
import { settleReferrals, type SettleReport } from "../referrals/referrals.server";
import { expireCodes } from "../rewards/reward-lifecycle.server";
import { reevaluateTier } from "../tiers/tier-evaluation.server";

export interface MaintenanceReport {
  released: number;
  tierChanges: number;
  expiredMembers: number;
  expiredPoints: number;
  warned: number;
  birthdayBonuses: number;
  codesExpired: number;
  referrals: SettleReport;
}

const PAGE = 500;

export async function reevaluateAllTiers(db: PrismaClient, shop: string, now: Date): Promise<number> {
  const program = await ensureProgram(db, shop);
  let changes = 0;
  let cursor: string | undefined;
  for (;;) {
    const members = await memberIdsPage(db, shop, PAGE, cursor);
    if (members.length === 0) return changes;
    for (const id of members) {
      const changed = await inTransaction(db, async (tx) => {
        const member = await lockMember(tx, shop, id);
        return (await reevaluateTier(tx, shop, program, member, now)).changed;
      });
      if (changed) changes++;
    }
    cursor = members[members.length - 1]!;
  }
}

export async function runDailyMaintenance(
  db: PrismaClient,
  shop: string,
  now: Date,
): Promise<MaintenanceReport> {
  const report: MaintenanceReport = {
    released: await releaseDuePoints(db, shop, now),
    tierChanges: await reevaluateAllTiers(db, shop, now),
    expiredMembers: 0,
    expiredPoints: 0,
    warned: 0,
    birthdayBonuses: 0,
    codesExpired: await expireCodes(db, shop, now),
    // After the release, as the referrer's reward waits for the same pending window.
    referrals: await settleReferrals(db, shop, now),
  };
  const program = settingsOf(await ensureProgram(db, shop));

  if (program.expiryMonths !== null) {
    const candidates = await membersWhosePointsCanExpire(db, shop);
    for (const id of candidates) {
      await inTransaction(db, async (tx) => {
        const member = await lockMember(tx, shop, id);
        const status = expiryStatus({
          lastActivityAt: member.lastActivityAt,
          expiryMonths: program.expiryMonths,
          warningDays: program.expiryWarningDays,
          now,
        });
        if (status.state === "due" && member.balance > 0) {
          const expired = member.balance;
          await appendEntry(tx, shop, member, {
            kind: "EXPIRE",
            points: -expired,
            sourceKey: `expire:${member.id}:${status.expiresAt!.toISOString()}`,
            note: `No activity since ${member.lastActivityAt!.toISOString().slice(0, 10)}`,
          });
          report.expiredMembers++;
          report.expiredPoints += expired;
        } else if (status.state === "warning" && !member.expiryWarnedAt) {
          await markExpiryWarned(tx, member.id, now);
          await recordFlowEvent(tx, shop, {
            trigger: FLOW_TRIGGERS.pointsExpiring,
            dedupeKey: `expiring:${member.id}:${status.expiresAt!.toISOString()}`,
            customerGid: member.customerGid,
            fields: { Points: member.balance, "Expires at": status.expiresAt!.toISOString() },
          });
          report.warned++;
        }
      });
    }
  }

  if (program.active && program.birthdayBonus > 0) {
    const month = now.getUTCMonth() + 1;
    const withBirthday = await membersDueABirthdayBonus(db, shop, month, now.getUTCFullYear());
    for (const id of withBirthday) {
      await inTransaction(db, async (tx) => {
        const member = await lockMember(tx, shop, id);
        const year = birthdayBonusYear({
          birthday:
            member.birthdayMonth && member.birthdayDay
              ? { month: member.birthdayMonth, day: member.birthdayDay }
              : null,
          setAt: member.birthdaySetAt,
          lastAwardedYear: member.lastBirthdayYear,
          today: now,
        });
        if (year === null) return;
        // A customer left out of the program (an excluded tag) earns nothing (decision 0021).
        if (isExcludedCustomer(member.tags, program.excludedTags)) return;
        const key = `bonus:birthday:${member.id}:${year}`;
        if (await ledgerEntryExists(tx, shop, key)) return;
        await appendEntry(tx, shop, member, {
          kind: "BONUS",
          points: program.birthdayBonus,
          sourceKey: key,
          note: `Birthday ${year}`,
          action: "birthday",
          activityAt: now,
        });
        await markBirthdayBonusGiven(tx, member.id, year);
        report.birthdayBonuses++;
      });
    }
  }
  await catchUpRollups(db, shop, now);
  return report;
}
