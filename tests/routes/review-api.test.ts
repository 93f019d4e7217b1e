/**
 * POST /api/actions/review (app/routes/api.actions.review.tsx): signed with the shop's secret
 * over the timestamp and the raw body; good, bad, stale and replayed signatures; idempotent on
 * the review's id; the rule's limits; documented JSON errors.
 */
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { upsertMember } from "~/db/members.server";
import { action } from "~/routes/api.actions.review";
import { saveEarnRules } from "~/services/actions/earn-actions.server";
import {
  REVIEW_API_PER_MINUTE,
  reviewSignature,
  rotateReviewSecret,
} from "~/services/actions/review-api.server";
import { UNLIMITED_PER_DAY } from "~/loyalty/earn-rules";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { resetLoyaltyData } from "../support/reset";
import { installShop } from "../support/shops";

const SHOP = "reviews.myshopify.com";
const OTHER = "other-reviews.myshopify.com";
const ALICE = "gid://shopify/Customer/1001";
const BOB = "gid://shopify/Customer/1002";

let secret: string;

function signed(
  body: unknown,
  options: {
    shop?: string;
    key?: string;
    at?: number;
    signature?: string;
    headers?: Record<string, string>;
  } = {},
) {
  const rawBody = typeof body === "string" ? body : JSON.stringify(body);
  const timestamp = String(options.at ?? Math.floor(Date.now() / 1000));
  return new Request("https://app.example/api/actions/review", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Regulars-Shop": options.shop ?? SHOP,
      "X-Regulars-Timestamp": timestamp,
      "X-Regulars-Signature": options.signature ?? reviewSignature(options.key ?? secret, timestamp, rawBody),
      ...options.headers,
    },
    body: rawBody,
  });
}

async function call(request: Request) {
  const response = await action({ request, params: {}, context: {} });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function reviewRule(limit: "ONCE" | "YEARLY" | "UNLIMITED", points = 40, shop = SHOP) {
  await saveEarnRules(prisma, shop, { review: { enabled: true, points, limit, url: null } }, new Date());
}

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  for (const shop of [SHOP, OTHER]) await installShop(prisma, shop);
  await upsertMember(prisma, SHOP, ALICE, { email: "alice@example.com" });
  await upsertMember(prisma, SHOP, BOB, { email: "bob@example.com" });
  secret = await rotateReviewSecret(prisma, SHOP);
});

describe("the review API", () => {
  it("awards a review once per review id, by customer id or by email", async () => {
    await reviewRule("UNLIMITED");
    const first = await call(signed({ customerId: "1001", reviewId: "judge-1" }));
    expect(first).toEqual({ status: 200, body: { status: "awarded", points: 40, balance: 40 } });
    // The same review again (a retry, or a replay within the window): the same answer, nothing new.
    const again = await call(signed({ customerId: "gid://shopify/Customer/1001", reviewId: "judge-1" }));
    expect(again).toEqual({ status: 200, body: { status: "already_awarded", points: 40, balance: 40 } });
    const byEmail = await call(signed({ email: "ALICE@example.com", reviewId: "judge-2" }));
    expect(byEmail.body).toMatchObject({ status: "awarded", balance: 80 });
    // Another customer cannot take a rewarded review's id.
    expect(await call(signed({ customerId: 1002, reviewId: "judge-1" }))).toMatchObject({
      status: 409,
      body: { error: "review_reused" },
    });
    const entries = await prisma.ledgerEntry.findMany({ where: { shop: SHOP, action: "review" } });
    expect(entries.map((entry) => entry.sourceKey).sort()).toEqual([
      "action:review:judge-1",
      "action:review:judge-2",
    ]);
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("holds each limit: once, once a year, and unlimited at most UNLIMITED_PER_DAY a day", async () => {
    await reviewRule("ONCE");
    expect((await call(signed({ customerId: "1001", reviewId: "a" }))).status).toBe(200);
    expect(await call(signed({ customerId: "1001", reviewId: "b" }))).toMatchObject({
      status: 409,
      body: { error: "limit_reached" },
    });
    await reviewRule("UNLIMITED");
    for (let i = 0; i < UNLIMITED_PER_DAY - 1; i++)
      expect((await call(signed({ customerId: "1001", reviewId: `u${i}` }))).status).toBe(200);
    expect((await call(signed({ customerId: "1001", reviewId: "one-too-many" }))).body).toMatchObject({
      error: "limit_reached",
    });
    // Bob has his own limit.
    expect((await call(signed({ customerId: "1002", reviewId: "bob-1" }))).status).toBe(200);
  });

  it("refuses unsigned, forged, stale and other shops' signatures with nothing written", async () => {
    await reviewRule("UNLIMITED");
    const body = { customerId: "1001", reviewId: "r" };
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, Request, string][] = [
      ["no signature", signed(body, { headers: { "X-Regulars-Signature": "" } }), "unsigned"],
      ["wrong key", signed(body, { key: "rgl_not-the-secret" }), "bad_signature"],
      ["an old timestamp", signed(body, { at: now - 301 }), "stale_timestamp"],
      ["a future timestamp", signed(body, { at: now + 301 }), "stale_timestamp"],
      ["a shop without a secret", signed(body, { shop: OTHER }), "bad_signature"],
      ["not a shop", signed(body, { shop: "evil.example.com" }), "bad_signature"],
    ];
    for (const [what, request, error] of cases) {
      const answer = await call(request);
      expect({ what, status: answer.status, error: answer.body.error }).toEqual({ what, status: 401, error });
    }
    // A body changed after signing.
    const timestamp = String(now);
    const tampered = new Request("https://app.example/api/actions/review", {
      method: "POST",
      headers: {
        "X-Regulars-Shop": SHOP,
        "X-Regulars-Timestamp": timestamp,
        "X-Regulars-Signature": reviewSignature(secret, timestamp, JSON.stringify(body)),
      },
      body: JSON.stringify({ ...body, customerId: "1002" }),
    });
    expect((await call(tampered)).body.error).toBe("bad_signature");
    // A signature replayed with a new timestamp does not match either.
    const replayed = signed(body, {
      at: now + 10,
      signature: reviewSignature(secret, String(now), JSON.stringify(body)),
    });
    expect((await call(replayed)).body.error).toBe("bad_signature");
    expect(await prisma.ledgerEntry.count({ where: { action: "review" } })).toBe(0);
  });

  it("a rotated secret replaces the old one at once; the secret is sealed at rest", async () => {
    await reviewRule("UNLIMITED");
    const old = secret;
    const fresh = await rotateReviewSecret(prisma, SHOP);
    expect(fresh).not.toBe(old);
    expect((await call(signed({ customerId: "1001", reviewId: "x" }, { key: old }))).body.error).toBe(
      "bad_signature",
    );
    expect((await call(signed({ customerId: "1001", reviewId: "x" }, { key: fresh }))).status).toBe(200);
    const row = await prisma.actionApiSecret.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(row.sealedSecret).not.toContain(fresh.slice(4));
    expect(row.hint).toBe(fresh.slice(-4));
  });

  it("answers documented errors for bad bodies, unknown customers, a rule that is off, and too many calls", async () => {
    expect(await call(signed({ customerId: "1001", reviewId: "r" }))).toMatchObject({
      status: 409,
      body: { error: "rule_off" },
    });
    await reviewRule("UNLIMITED");
    expect(await call(signed("not json"))).toMatchObject({ status: 422, body: { error: "invalid_request" } });
    expect(await call(signed({ reviewId: "r" }))).toMatchObject({
      status: 422,
      body: { error: "invalid_request", fields: { customerId: expect.any(String) } },
    });
    expect(await call(signed({ customerId: "abc", reviewId: "" }))).toMatchObject({
      status: 422,
      body: { fields: { customerId: expect.any(String), reviewId: expect.any(String) } },
    });
    expect(await call(signed({ customerId: "999", reviewId: "r" }))).toMatchObject({
      status: 404,
      body: { error: "unknown_customer" },
    });
    await upsertMember(prisma, SHOP, "gid://shopify/Customer/1003", { email: "bob@example.com" });
    expect(await call(signed({ email: "bob@example.com", reviewId: "r" }))).toMatchObject({
      status: 409,
      body: { error: "ambiguous_email" },
    });
    const big = signed({ customerId: "1001", reviewId: "r", padding: "x".repeat(9000) });
    await expect(call(big)).rejects.toMatchObject({ status: 413 });
    // The shop's rate: REVIEW_API_PER_MINUTE awards a minute over all customers.
    for (let i = 0; i < REVIEW_API_PER_MINUTE; i++)
      await upsertMember(prisma, SHOP, `gid://shopify/Customer/${5000 + i}`, {});
    for (let i = 0; i < REVIEW_API_PER_MINUTE; i++)
      expect((await call(signed({ customerId: String(5000 + i), reviewId: `rate-${i}` }))).status).toBe(200);
    const limited = await action({
      request: signed({ customerId: "1002", reviewId: "late" }),
      params: {},
      context: {},
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("60");
  });

  it("fuzz: no signature but the shop's own over the exact timestamp and body is accepted", async () => {
    await reviewRule("UNLIMITED", 5);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          key: fc.oneof(fc.constant("right"), fc.string({ maxLength: 40 })),
          timestampShift: fc.integer({ min: -1000, max: 1000 }),
          signature: fc.option(fc.string({ maxLength: 80 }), { nil: undefined }),
          bodyChange: fc.boolean(),
        }),
        async ({ key, timestampShift, signature, bodyChange }) => {
          const body = { customerId: "1001", reviewId: `fuzz-${Math.random()}` };
          const at = Math.floor(Date.now() / 1000) + timestampShift;
          const rawBody = JSON.stringify(body);
          const realKey = key === "right" ? secret : key;
          const request = new Request("https://app.example/api/actions/review", {
            method: "POST",
            headers: {
              "X-Regulars-Shop": SHOP,
              "X-Regulars-Timestamp": String(at),
              "X-Regulars-Signature": signature ?? reviewSignature(realKey, String(at), rawBody),
            },
            body: bodyChange ? rawBody.replace("1001", "1002") : rawBody,
          });
          const answer = await call(request);
          const valid =
            key === "right" && signature === undefined && !bodyChange && Math.abs(timestampShift) <= 300;
          if (valid) expect(answer.status).toBe(200);
          else expect([401, 429]).toContain(answer.status);
        },
      ),
      { numRuns: 40 },
    );
    await expectLedgerConsistent(prisma, SHOP);
  });
});
