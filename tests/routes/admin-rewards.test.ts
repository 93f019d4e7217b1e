/**
 * The rewards catalog on the admin's Program page: the loader and the save
 * action, called with requests signed as the embedded admin signs them.
 * GIVEN a shop with the default catalog (and another shop with its own),
 * WHEN the page saves a catalog, THEN only valid changes of this shop land,
 * Shopify's copy of the program is marked for a sync, and a removed reward
 * never breaks a code already issued.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { APP_URL, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { NEW_REWARD, type ProgramForm, type RewardForm } from "~/admin/program-form";
import { prisma } from "~/db.server";
import { ensureRewards } from "~/db/rewards.server";
import { jobs } from "~/jobs.server";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { RedeemError, redeemReward } from "~/services/rewards/redeem-reward.server";
import { programExplainer } from "~/services/storefront/status.server";
import { action, loader } from "~/routes/app.program";
import { adminDocument, adminFetch, run } from "../support/admin-requests";
import { adminStandIn } from "../support/admin-stand-in";
import { storeOfflineSession } from "../support/sessions";

const OTHER_SHOP = "other-rewards.myshopify.com";
const CUSTOMER = "gid://shopify/Customer/4242";

const save = async (form: unknown, shop = TEST_SHOP, secret?: string) =>
  run(
    action,
    await adminFetch(
      "/app/program",
      { method: "POST", body: JSON.stringify(form), headers: { "Content-Type": "application/json" } },
      shop,
      secret,
    ),
  );

async function page(shop = TEST_SHOP): Promise<{ form: ProgramForm; codesByReward: Record<string, number> }> {
  const res = await run(loader, await adminDocument("/app/program", shop));
  expect(res.status).toBe(200);
  return res.json();
}

/** Everything about the shop's catalog that a save could change. */
const catalogState = async (shop: string) => ({
  rewards: await prisma.reward.findMany({ where: { shop }, orderBy: { id: "asc" } }),
  program: await prisma.program.findUnique({ where: { shop }, select: { syncVersion: true } }),
});

const queuedSyncs = async (shop: string) =>
  (
    await prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${jobs.schema}.job WHERE name = 'program-sync' AND data->>'shop' = $1`,
      shop,
    )
  )[0]!.n;

beforeEach(async () => {
  await prisma.$executeRawUnsafe(`DELETE FROM ${jobs.schema}.job`);
  await prisma.session.deleteMany();
  await prisma.ledgerEntry.deleteMany();
  await prisma.redemption.deleteMany();
  await prisma.member.deleteMany();
  await prisma.reward.deleteMany();
  await prisma.tier.deleteMany();
  await prisma.program.deleteMany();
  await storeOfflineSession(prisma, TEST_SHOP, { accessToken: "shpat_admin", scope: "write_discounts" });
  await storeOfflineSession(prisma, OTHER_SHOP, { accessToken: "shpat_other", scope: "write_discounts" });
});

describe("rewards catalog: loader", () => {
  it("is refused without a session token; shows this shop's rewards with ids and issued code counts", async () => {
    expect((await run(loader, new Request(`${APP_URL}/app/program`))).status).not.toBe(200);
    await page(OTHER_SHOP);
    const { form, codesByReward } = await page();
    const ours = await prisma.reward.findMany({ where: { shop: TEST_SHOP }, orderBy: { position: "asc" } });
    expect(form.rewards.map((reward) => reward.id)).toEqual(ours.map((reward) => reward.id));
    expect(form.rewards[0]).toEqual({
      id: ours[0]!.id,
      key: "5-off",
      title: "5.00 off",
      type: "FIXED_AMOUNT",
      pointsCost: "500",
      amount: "5.00",
      percent: "",
      minimumSubtotal: "",
      codeLifetimeDays: "30",
      combinesWithOrder: false,
      combinesWithProduct: false,
      combinesWithShipping: true,
      tierKeys: [],
      enabled: true,
      // "Spend any amount" is off: a fixed cost.
      anyAmount: false,
      anyMin: "",
      anyMax: "",
    });
    expect(codesByReward).toEqual({});
  });
});

describe("rewards catalog: saving", () => {
  it("adds each kind, edits, disables and reorders; the storefront's copy is queued for a sync", async () => {
    const { form } = await page();
    await page(OTHER_SHOP);
    const otherBefore = await catalogState(OTHER_SHOP);
    const before = await prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    await prisma.$executeRawUnsafe(`DELETE FROM ${jobs.schema}.job`);
    const [five, ten, twentyFive, shipping] = form.rewards as [
      RewardForm,
      RewardForm,
      RewardForm,
      RewardForm,
    ];
    const next: ProgramForm = {
      ...form,
      rewards: [
        { ...shipping, pointsCost: "450", tierKeys: ["silver", "gold"] },
        { ...NEW_REWARD, title: "15% off", type: "PERCENTAGE", pointsCost: "1500", percent: "15" },
        five,
        { ...ten, enabled: false, title: "Ten off", minimumSubtotal: "50.00", codeLifetimeDays: "7" },
        twentyFive,
        {
          ...NEW_REWARD,
          key: "ship-plus",
          title: "Free shipping+",
          type: "FREE_SHIPPING",
          pointsCost: "600",
        },
        { ...NEW_REWARD, title: "2.50 off", pointsCost: "250", amount: "2.50", combinesWithOrder: true },
      ],
    };
    const res = await save(next);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, tierChanges: 0 });

    const saved = (await page()).form.rewards;
    expect(saved.map((reward) => [reward.key, reward.enabled])).toEqual([
      ["free-shipping", true],
      ["15-off", true],
      ["5-off", true],
      ["10-off", false],
      ["25-off", true],
      ["ship-plus", true],
      ["2-50-off", true],
    ]);
    // Existing rewards kept their rows (codes and redemptions refer to their keys).
    expect(saved[0]!.id).toBe(shipping.id);
    expect(saved[3]!.id).toBe(ten.id);
    expect(saved[0]).toMatchObject({ pointsCost: "450", tierKeys: ["silver", "gold"] });
    expect(saved[1]).toMatchObject({ type: "PERCENTAGE", percent: "15", amount: "" });
    expect(saved[3]).toMatchObject({ title: "Ten off", minimumSubtotal: "50.00", codeLifetimeDays: "7" });
    expect(saved[6]).toMatchObject({ amount: "2.50", combinesWithOrder: true });
    const row = await prisma.reward.findUniqueOrThrow({
      where: { shop_key: { shop: TEST_SHOP, key: "15-off" } },
    });
    expect(row).toMatchObject({ percentBps: 1500, amountMilli: null, position: 1 });

    // The storefront learns the new catalog: enabled rewards, in order.
    const after = await prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    expect(after.syncVersion).toBeGreaterThan(before.syncVersion);
    expect(await queuedSyncs(TEST_SHOP)).toBe(1);
    const { explainer } = await programExplainer(prisma, TEST_SHOP);
    expect(explainer.rewards.map((reward) => reward.key)).toEqual([
      "free-shipping",
      "15-off",
      "5-off",
      "25-off",
      "ship-plus",
      "2-50-off",
    ]);
    // The other shop's catalog did not move.
    expect(await catalogState(OTHER_SHOP)).toEqual(otherBefore);
  });

  it("answers 422 with every bad field by row and changes nothing", async () => {
    const { form } = await page();
    const before = await catalogState(TEST_SHOP);
    // The page made the shop's program and queued its sync (as every admin request queues what it noted).
    const syncsBefore = await queuedSyncs(TEST_SHOP);
    const [five, ten, twentyFive, shipping] = form.rewards as [
      RewardForm,
      RewardForm,
      RewardForm,
      RewardForm,
    ];
    const bad: ProgramForm = {
      ...form,
      rewards: [
        { ...five, pointsCost: "0" },
        { ...ten, amount: "0.00", codeLifetimeDays: "400" },
        { ...twentyFive, key: "twenty-five" },
        { ...shipping, tierKeys: ["platinum"] },
        { ...NEW_REWARD, title: "Half off", type: "PERCENTAGE", pointsCost: "5000", percent: "150" },
        { ...NEW_REWARD, title: "", key: "5-off", pointsCost: "10", amount: "1.00" },
        { ...NEW_REWARD, title: "Ship", key: "Not A Key", type: "FREE_SHIPPING", pointsCost: "12" },
      ],
    };
    const res = await save(bad);
    expect(res.status).toBe(422);
    expect((await res.json()).fieldErrors).toEqual({
      "rewards.0.pointsCost": { code: "min", min: 1, unit: "points" },
      "rewards.1.amount": { code: "min", min: 0.01, unit: "money" },
      "rewards.1.codeLifetimeDays": { code: "max", max: 365, unit: "days" },
      "rewards.2.key": { code: "keyLocked" },
      "rewards.3.tierKeys": { code: "unknownTier", tier: "platinum" },
      "rewards.4.percent": { code: "max", max: 100, unit: "percent" },
      "rewards.5.title": { code: "required" },
      "rewards.5.key": { code: "taken" },
      "rewards.6.key": { code: "key" },
    });
    // Text that is not a number is refused before any range is checked.
    const notNumbers = await save({
      ...form,
      rewards: [...form.rewards, { ...NEW_REWARD, title: "Ship", pointsCost: "12.5", amount: "ten" }],
    });
    expect(notNumbers.status).toBe(422);
    expect((await notNumbers.json()).fieldErrors).toEqual({
      "rewards.4.pointsCost": { code: "wholeNumber" },
      "rewards.4.amount": { code: "amount", example: "5.00" },
    });
    const malformed = await save({ ...form, rewards: [{ ...five, type: "GIFT_CARD" }] });
    expect(malformed.status).toBe(422);
    expect(await catalogState(TEST_SHOP)).toEqual(before);
    expect(await queuedSyncs(TEST_SHOP)).toBe(syncsBefore);
  });

  it("another shop's reward id is not found (404) and nothing changes in either shop", async () => {
    const { form } = await page();
    const theirs = (await page(OTHER_SHOP)).form.rewards[0]!;
    const ours = await catalogState(TEST_SHOP);
    const otherBefore = await catalogState(OTHER_SHOP);
    const res = await save({ ...form, rewards: [...form.rewards, { ...theirs, title: "Stolen" }] });
    expect(res.status).toBe(404);
    const made = await save({ ...form, rewards: [{ ...form.rewards[0]!, id: "no-such-reward" }] });
    expect(made.status).toBe(404);
    expect(await catalogState(TEST_SHOP)).toEqual(ours);
    expect(await catalogState(OTHER_SHOP)).toEqual(otherBefore);
  });

  it("refuses a forged session token and writes nothing", async () => {
    const { form } = await page();
    const before = await catalogState(TEST_SHOP);
    const res = await save({ ...form, rewards: [] }, TEST_SHOP, "forged");
    expect(res.status).toBe(401);
    expect(await catalogState(TEST_SHOP)).toEqual(before);
  });
});

describe("rewards catalog: removal", () => {
  it("archives a reward with issued codes: the code and its history stay, it can no longer be redeemed, its key stays taken", async () => {
    const { form } = await page();
    const admin = adminStandIn().admin;
    const now = new Date();
    await adjustPoints(
      prisma,
      TEST_SHOP,
      { customerGid: CUSTOMER, points: 3000, reason: "Seed", staffId: "s", idempotencyKey: "rewards-seed" },
      now,
    );
    const issued = await redeemReward(
      prisma,
      admin,
      TEST_SHOP,
      { customerGid: CUSTOMER, rewardKey: "10-off", idempotencyKey: "rewards-redeem-1" },
      now,
    );
    expect(issued.status).toBe("ISSUED");
    expect((await page()).codesByReward).toEqual({ "10-off": 1 });

    const withoutTen = form.rewards.filter((reward) => reward.key !== "10-off");
    const res = await save({ ...form, rewards: withoutTen });
    expect(res.status).toBe(200);

    const row = await prisma.reward.findUniqueOrThrow({
      where: { shop_key: { shop: TEST_SHOP, key: "10-off" } },
    });
    expect(row.archivedAt).not.toBe(null);
    expect(row.enabled).toBe(false);
    expect(await prisma.redemption.findUniqueOrThrow({ where: { id: issued.id } })).toEqual(issued);
    expect((await page()).form.rewards.map((reward) => reward.key)).toEqual([
      "5-off",
      "25-off",
      "free-shipping",
    ]);
    expect((await ensureRewards(prisma, TEST_SHOP)).map((reward) => reward.key)).not.toContain("10-off");
    await expect(
      redeemReward(
        prisma,
        admin,
        TEST_SHOP,
        { customerGid: CUSTOMER, rewardKey: "10-off", idempotencyKey: "rewards-redeem-2" },
        now,
      ),
    ).rejects.toEqual(new RedeemError("reward not found"));
    const member = await prisma.member.findFirstOrThrow({
      where: { shop: TEST_SHOP, customerGid: CUSTOMER },
    });
    expect(member.balance).toBe(2000);

    // A new reward cannot take the key its codes were issued under.
    const reuse = await save({
      ...form,
      rewards: [
        ...withoutTen,
        { ...NEW_REWARD, key: "10-off", title: "Ten", pointsCost: "900", amount: "10" },
      ],
    });
    expect(reuse.status).toBe(422);
    expect((await reuse.json()).fieldErrors).toEqual({
      "rewards.3.key": { code: "keyRetired" },
    });
  });

  it("removing every reward leaves an empty catalog (the defaults do not come back); an unused key can be reused", async () => {
    const { form } = await page();
    expect((await save({ ...form, rewards: [] })).status).toBe(200);
    expect((await page()).form.rewards).toEqual([]);
    expect(await prisma.reward.count({ where: { shop: TEST_SHOP, archivedAt: null } })).toBe(0);
    const { explainer } = await programExplainer(prisma, TEST_SHOP);
    expect(explainer.rewards).toEqual([]);

    const res = await save({
      ...form,
      rewards: [{ ...NEW_REWARD, key: "5-off", title: "Five", pointsCost: "400", amount: "5" }],
    });
    expect(res.status).toBe(200);
    const rewards = (await page()).form.rewards;
    expect(rewards).toHaveLength(1);
    expect(rewards[0]).toMatchObject({ key: "5-off", title: "Five", pointsCost: "400", enabled: true });
  });

  it("refuses to remove a tier's entry reward while the tier still names it", async () => {
    const { form } = await page();
    const tiers = form.tiers.map((tier, i) => (i === 2 ? { ...tier, entryRewardKey: "25-off" } : tier));
    expect((await save({ ...form, tiers })).status).toBe(200);
    const before = await catalogState(TEST_SHOP);
    const withoutIt = (await page()).form.rewards.filter((reward) => reward.key !== "25-off");
    const res = await save({ ...form, tiers, rewards: withoutIt });
    expect(res.status).toBe(422);
    expect((await res.json()).fieldErrors).toEqual({
      "tiers.2.entryRewardKey": { code: "notInCatalog" },
    });
    expect(await catalogState(TEST_SHOP)).toEqual(before);
    // As the page does on removal: the tier's entry reward is cleared with it.
    const cleared = form.tiers.map((tier) => ({ ...tier, entryRewardKey: "" }));
    expect((await save({ ...form, tiers: cleared, rewards: withoutIt })).status).toBe(200);
  });
});
