/**
 * Social follows through the app proxy (POST /apps/regulars/actions/follow), signed as Shopify
 * signs it: the points once per rule for a signed-in member, and the ways to earn listed in the
 * program the storefront gets (decision 0023).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { upsertMember } from "~/db/members.server";
import { action as followAction } from "~/routes/proxy.actions.follow";
import { loader as statusLoader } from "~/routes/proxy.status";
import { saveEarnRules } from "~/services/actions/earn-actions.server";
import { forgetProgramExplainer } from "~/services/program/program-explainer-cache.server";
import { updateProgram } from "~/services/program/program-settings.server";
import { callProxy, proxyPost, proxyRequest } from "../support/proxy-requests";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { resetLoyaltyData } from "../support/reset";
import { installShop } from "../support/shops";

const CUSTOMER_ID = "4242";
const follow = async (rule: unknown, customerId: string | null = CUSTOMER_ID, shop = TEST_SHOP) => {
  const response = await callProxy(
    followAction,
    await proxyPost("actions/follow", JSON.stringify({ rule }), { shop, customerId }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  forgetProgramExplainer(TEST_SHOP);
  await installShop(prisma, TEST_SHOP);
});

describe("POST /apps/regulars/actions/follow", () => {
  it("pays a follow once per network, and lists the ways to earn for the storefront", async () => {
    await saveEarnRules(
      prisma,
      TEST_SHOP,
      {
        "follow-instagram": { enabled: true, points: 25, limit: "ONCE", url: "https://instagram.com/maple" },
        "follow-youtube": { enabled: true, points: 30, limit: "ONCE", url: "https://www.youtube.com/@maple" },
        "follow-x": { enabled: false, points: 30, limit: "ONCE", url: "https://x.com/maple" },
        newsletter: { enabled: true, points: 100, limit: "ONCE", url: null },
      },
      new Date(),
    );
    expect(await follow("follow-instagram")).toEqual({
      status: 200,
      body: { status: "awarded", points: 25, balance: 25 },
    });
    expect(await follow("follow-instagram")).toEqual({
      status: 200,
      body: { status: "already_awarded", points: 25, balance: 25 },
    });
    expect((await follow("follow-youtube")).body).toMatchObject({ status: "awarded", balance: 55 });
    const entries = await prisma.ledgerEntry.findMany({ where: { shop: TEST_SHOP }, orderBy: { id: "asc" } });
    expect(entries.map((entry) => [entry.action, entry.points, entry.note])).toEqual([
      ["follow-instagram", 25, "Followed on instagram"],
      ["follow-youtube", 30, "Followed on youtube"],
    ]);
    await expectLedgerConsistent(prisma, TEST_SHOP);

    const status = await callProxy(
      statusLoader,
      await proxyRequest("status", { shop: TEST_SHOP, customerId: null }),
    );
    const body = (await status.json()) as { program: { earnActions: unknown } };
    expect(body.program.earnActions).toEqual([
      { key: "newsletter", points: 100 },
      { key: "follow-instagram", points: 25, network: "Instagram", url: "https://instagram.com/maple" },
      { key: "follow-youtube", points: 30, network: "YouTube", url: "https://www.youtube.com/@maple" },
    ]);
  });

  it("refuses a guest, an unknown rule, a rule that is off, a paused program and an excluded customer", async () => {
    expect(await follow("follow-tiktok", null)).toMatchObject({
      status: 401,
      body: { error: "sign_in_required" },
    });
    expect(await follow("follow-myspace")).toMatchObject({ status: 422, body: { error: "invalid_request" } });
    expect(await follow("newsletter")).toMatchObject({ status: 422, body: { error: "invalid_request" } });
    expect(await follow("follow-tiktok")).toMatchObject({
      status: 409,
      body: { error: "action_unavailable" },
    });
    await saveEarnRules(
      prisma,
      TEST_SHOP,
      { "follow-tiktok": { enabled: true, points: 10, limit: "ONCE", url: "https://www.tiktok.com/@maple" } },
      new Date(),
    );
    await updateProgram(prisma, TEST_SHOP, { settings: { active: false } }, new Date());
    expect(await follow("follow-tiktok")).toMatchObject({ status: 409, body: { error: "program_paused" } });
    await updateProgram(
      prisma,
      TEST_SHOP,
      { settings: { active: true, excludedTags: ["staff"] } },
      new Date(),
    );
    await upsertMember(prisma, TEST_SHOP, `gid://shopify/Customer/${CUSTOMER_ID}`, { tags: ["Staff"] });
    expect(await follow("follow-tiktok")).toMatchObject({
      status: 409,
      body: { error: "action_unavailable" },
    });
    expect(await prisma.ledgerEntry.count({ where: { shop: TEST_SHOP } })).toBe(0);
    // Refusals before that wrote nothing, not even a member.
    expect(await prisma.member.count({ where: { shop: TEST_SHOP } })).toBe(1);
  });
});
