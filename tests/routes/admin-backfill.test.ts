/**
 * The Past orders page: start a backfill (validated dates, one at a time,
 * queued as a job), see progress, cancel; another shop can neither see nor
 * drive it.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { APP_URL, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { jobs } from "~/jobs.server";
import { action, loader } from "~/routes/app.backfill";
import { adminDocument, adminFetch, run } from "../support/admin-requests";
import { storeOfflineSession } from "../support/sessions";

const OTHER = "other-backfill.myshopify.com";

const post = async (fields: Record<string, string>, shop = TEST_SHOP) =>
  run(
    action,
    await adminFetch(
      "/app/backfill",
      {
        method: "POST",
        body: new URLSearchParams(fields).toString(),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      },
      shop,
    ),
  );

const queued = async (shop: string) => {
  const rows = await prisma.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM ${jobs.schema}.job WHERE name = 'backfill' AND data->>'shop' = $1`,
    shop,
  );
  return Number(rows[0]!.n);
};

beforeEach(async () => {
  await prisma.backfillRun.deleteMany();
  await prisma.session.deleteMany();
  await storeOfflineSession(prisma, TEST_SHOP, { accessToken: "shpat_backfill", scope: "read_orders" });
  await storeOfflineSession(prisma, OTHER, { accessToken: "shpat_other", scope: "read_orders" });
});

describe("Past orders page", () => {
  it("needs a session token", async () => {
    expect((await run(loader, new Request(`${APP_URL}/app/backfill`))).status).not.toBe(200);
    const res = await run(action, new Request(`${APP_URL}/app/backfill`, { method: "POST" }));
    expect(res.status).not.toBe(200);
    expect(await prisma.backfillRun.count()).toBe(0);
  });

  it("starts a backfill for the chosen days (end day included) and queues its job; a second is refused", async () => {
    const res = await post({ intent: "start", from: "2025-01-01", to: "2025-12-31" });
    expect(res.status).toBe(200);
    const started = await prisma.backfillRun.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(started).toMatchObject({
      status: "PENDING",
      fromDate: new Date("2025-01-01T00:00:00Z"),
      toDate: new Date("2026-01-01T00:00:00Z"),
    });
    expect(await queued(TEST_SHOP)).toBeGreaterThan(0);
    // WHEN a second backfill is asked for while it runs THEN 409 and nothing new
    const again = await post({ intent: "start", from: "2024-01-01", to: "2024-12-31" });
    expect(again.status).toBe(409);
    expect((await again.json()).error).toMatch(/already running/);
    expect(await prisma.backfillRun.count({ where: { shop: TEST_SHOP } })).toBe(1);
    // AND the page shows it with its progress
    const page = await (await run(loader, await adminDocument("/app/backfill"))).json();
    expect(page.runs).toEqual([
      expect.objectContaining({
        id: started.id,
        from: "2025-01-01",
        to: "2025-12-31",
        active: true,
        ordersDone: 0,
      }),
    ]);
  });

  it("bad dates get field errors and write nothing", async () => {
    const jobsBefore = await queued(TEST_SHOP);
    const reversed = await post({ intent: "start", from: "2025-06-01", to: "2025-01-01" });
    expect(reversed.status).toBe(422);
    expect((await reversed.json()).fields.from).toBeTruthy();
    const garbage = await post({ intent: "start", from: "yesterday", to: "2025-01-01" });
    expect(garbage.status).toBe(422);
    expect((await garbage.json()).fields.from).toBeTruthy();
    expect(await prisma.backfillRun.count()).toBe(0);
    expect(await queued(TEST_SHOP)).toBe(jobsBefore);
  });

  it("another shop cannot see or cancel the backfill (404); its owner can cancel it", async () => {
    await post({ intent: "start", from: "2025-01-01", to: "2025-12-31" });
    const mine = await prisma.backfillRun.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    // THEN the other shop's page lists nothing and its cancel is 404, changing nothing
    const theirs = await (await run(loader, await adminDocument("/app/backfill", OTHER))).json();
    expect(theirs.runs).toEqual([]);
    const res = await post({ intent: "cancel", runId: mine.id }, OTHER);
    expect(res.status).toBe(404);
    expect(await prisma.backfillRun.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({
      status: "PENDING",
      activeSlot: "active",
      cancelRequestedAt: null,
    });
    // AND the other shop may run its own backfill meanwhile
    expect((await post({ intent: "start", from: "2025-01-01", to: "2025-02-01" }, OTHER)).status).toBe(200);
    // AND the owner cancels: before Shopify is asked it stops at once
    const cancelled = await post({ intent: "cancel", runId: mine.id });
    expect(cancelled.status).toBe(200);
    expect(await prisma.backfillRun.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({
      status: "CANCELLED",
      activeSlot: null,
    });
    expect((await post({ intent: "cancel", runId: mine.id })).status).toBe(409);
  });
});
