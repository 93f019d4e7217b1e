/**
 * The store credit reward the store credit tests share: 10.00 of credit for 1,000 points, its
 * credit valid 90 days, after the shop's default catalog (created first, if missing).
 */
import type { PrismaClient } from "@prisma/client";
import { ensureRewards } from "~/db/rewards.server";
import { parseMilli } from "~/loyalty/money";

export async function addCreditReward(prisma: PrismaClient, shop: string): Promise<void> {
  await ensureRewards(prisma, shop);
  await prisma.reward.create({
    data: {
      shop,
      key: "credit-10",
      title: "10.00 store credit",
      type: "STORE_CREDIT",
      pointsCost: 1000,
      amountMilli: parseMilli("10.00"),
      codeLifetimeDays: 90,
      position: 10,
    },
  });
}
