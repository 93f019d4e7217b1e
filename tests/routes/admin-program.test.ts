/**
 * The admin's Program and Activity pages: loaders and actions called with
 * requests signed as the embedded admin signs them.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { APP_URL, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { programFormOf } from "~/admin/program-form";
import { prisma } from "~/db.server";
import { jobs } from "~/jobs.server";
import { DEFAULT_PROGRAM, DEFAULT_TIERS } from "~/loyalty/program";
import { action as activityAction, loader as activityLoader } from "~/routes/app.activity";
import { action as programAction, loader as programLoader } from "~/routes/app.program";
import { adminDocument, adminFetch, run } from "../support/admin-requests";
import { storeOfflineSession } from "../support/sessions";

const OTHER_SHOP = "other-admin.myshopify.com";
/** The settings and tiers alone: a save without `rewards` leaves the catalog as it is. */
const settingsForm = () => {
  const { rewards: _rewards, ...form } = programFormOf(DEFAULT_PROGRAM, DEFAULT_TIERS, []);
  return form;
};
const postJson = (body: unknown, shop?: string, secret?: string) =>
  adminFetch(
    "/app/program",
    { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } },
    shop,
    secret,
  );

beforeEach(async () => {
  await prisma.session.deleteMany();
  await prisma.tier.deleteMany();
  await prisma.program.deleteMany();
  await storeOfflineSession(prisma, TEST_SHOP, { accessToken: "shpat_admin", scope: "write_discounts" });
  await storeOfflineSession(prisma, OTHER_SHOP, { accessToken: "shpat_other", scope: "write_discounts" });
});

describe("program page", () => {
  it("is refused without a session token, and shows the program with one", async () => {
    const anonymous = await run(programLoader, new Request(`${APP_URL}/app/program`));
    expect(anonymous.status).not.toBe(200);
    const res = await run(programLoader, await adminDocument("/app/program"));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.form).toEqual({ ...settingsForm(), rewards: body.form.rewards });
    expect(body.form.rewards.map((r: { key: string }) => r.key)).toEqual([
      "5-off",
      "10-off",
      "25-off",
      "free-shipping",
    ]);
  });

  it("saves a valid change for this shop only, and queues Shopify's copy", async () => {
    const form = { ...settingsForm(), earnRate: "7.5", tierTagPrefix: "VIP ", earnOnPos: false };
    const res = await run(programAction, await postJson(form));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, tierChanges: 0 });
    const program = await prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    expect(program).toMatchObject({ earnRateE4: 75_000, tierTagPrefix: "VIP ", earnOnPos: false });
    expect(await prisma.program.findUnique({ where: { shop: OTHER_SHOP } })).toBe(null);
    const queued = await prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${jobs.schema}.job WHERE name = 'program-sync' AND data->>'shop' = $1`,
      TEST_SHOP,
    );
    expect(queued[0]!.n).toBe(1);
  });

  it("answers 422 with every field error and changes nothing", async () => {
    await run(programLoader, await adminDocument("/app/program"));
    const before = await prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    const form = settingsForm();
    const bad = {
      ...form,
      earnRate: "lots",
      signupBonus: "2000000",
      tiers: form.tiers.map((tier, i) => (i === 2 ? { ...tier, threshold: "100.00" } : tier)),
    };
    // Text that is not a number and numbers out of range: all reported on the first save.
    const res = await run(programAction, await postJson(bad));
    expect(res.status).toBe(422);
    expect((await res.json()).fieldErrors).toEqual({
      earnRate: { code: "number", example: "5" },
      signupBonus: { code: "max", max: 1_000_000, unit: "points" },
      "tiers.2.threshold": { code: "abovePrevious" },
    });
    // In the merchant's terms: no stored units (x10,000), no "NaN"; a negative number says so.
    const units = await run(
      programAction,
      await postJson({
        ...form,
        pendingDays: "-3",
        earnRate: "-1",
        tiers: form.tiers.map((tier, i) => (i === 1 ? { ...tier, multiplier: "0.5" } : tier)),
      }),
    );
    expect(units.status).toBe(422);
    expect((await units.json()).fieldErrors).toEqual({
      earnRate: { code: "notNegative" },
      pendingDays: { code: "notNegative" },
      "tiers.1.multiplier": { code: "min", min: 1, unit: "decimal" },
    });
    const malformed = await run(programAction, await postJson({ earnRate: 5 }));
    expect(malformed.status).toBe(422);
    expect(await prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).toEqual(before);
  });

  it("keeps the excluded customer tags trimmed, once each whatever their case; refuses a tag too long", async () => {
    const form = { ...settingsForm(), excludedTags: " wholesale, Staff ,, WHOLESALE " };
    const res = await run(programAction, await postJson(form));
    expect(res.status).toBe(200);
    const program = await prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    expect(program.excludedTags).toEqual(["wholesale", "Staff"]);
    const loaded = await (await run(programLoader, await adminDocument("/app/program"))).json();
    expect(loaded.form.excludedTags).toBe("wholesale, Staff");
    // A tag over Shopify's 255 characters is the field's error, with the others; nothing is saved.
    const bad = await run(
      programAction,
      await postJson({ ...form, excludedTags: `staff, ${"x".repeat(256)}`, signupBonus: "-1" }),
    );
    expect(bad.status).toBe(422);
    expect((await bad.json()).fieldErrors).toEqual({
      excludedTags: { code: "max", max: 255, unit: "characters" },
      signupBonus: { code: "notNegative" },
    });
    const after = await prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    expect(after.excludedTags).toEqual(["wholesale", "Staff"]);
  });

  it("refuses a forged session token", async () => {
    const res = await run(programAction, await postJson(settingsForm(), TEST_SHOP, "forged"));
    expect(res.status).toBe(401);
    expect(await prisma.program.findUnique({ where: { shop: TEST_SHOP } })).toBe(null);
  });
});

describe("activity page", () => {
  it("lists this shop's dead jobs and retries them; another shop's job is not found", async () => {
    await prisma.$executeRawUnsafe(`DELETE FROM ${jobs.schema}.job`);
    const send = (shop: string) =>
      jobs.boss.send("program-sync", { shop }, { retryLimit: 0, singletonKey: shop });
    const ours = await send(TEST_SHOP);
    const theirs = await send(OTHER_SHOP);
    for (const id of [ours!, theirs!])
      await jobs.boss.fail("program-sync", id, { message: "Admin API HTTP 502" });

    const page = await (await run(activityLoader, await adminDocument("/app/activity"))).json();
    expect(page.failed.map((job: { id: string }) => job.id)).toEqual([ours]);
    expect(page.failed[0].error).toBe("Admin API HTTP 502");

    const retry = (jobId: string) =>
      adminFetch("/app/activity", { method: "POST", body: new URLSearchParams({ intent: "retry", jobId }) });
    expect((await run(activityAction, await retry(theirs!))).status).toBe(404);
    expect((await run(activityAction, await retry("not-a-job"))).status).toBe(404);
    expect((await run(activityAction, await retry(ours!))).status).toBe(200);
    expect(await jobs.listFailed(TEST_SHOP)).toEqual([]);
    expect((await jobs.listFailed(OTHER_SHOP)).map((job) => job.id)).toEqual([theirs]);
  });
});
