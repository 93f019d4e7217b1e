/**
 * Tenancy: every route in app/routes, probed as shop B with shop A's ids
 * (member, customer, order, refund, redemption and reward ids, codes,
 * idempotency keys, job, campaign and backfill run ids, emails). Where a
 * route names an id, B gets a 404; no answer carries A's data; and A's rows
 * (every table with a shop column, the Shop row, A's jobs), fingerprinted
 * from the database, stay exactly as they were. The probe table is keyed by
 * route file, and the first test fails when a route has no probes (or a
 * probe names a route that is gone).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionFunctionArgs } from "@remix-run/node";
import { prisma } from "~/db.server";
import { jobs, withJobs } from "~/jobs.server";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { redeemReward, reservePoints } from "~/services/rewards/redeem-reward.server";
import { mailConfig } from "~/services/notifications/mail-config.server";
import { unsubscribeUrl } from "~/services/notifications/unsubscribe-link.server";
import { adminStandIn } from "../support/admin-stand-in";
import { adminDocument, adminFetch, downloadFile, run } from "../support/admin-requests";
import { loadRoute, routeFiles } from "../support/app-routes";
import { FLOW_ACTIONS } from "~/loyalty/flow-actions";
import { actionRunRequest, callLifecycle, lifecycleCallback } from "../support/flow-callbacks";
import { shopWatch, type Fingerprint } from "../support/db-fingerprint";
import { rawFixture } from "../support/fixtures";
import { callProxy, proxyPost, proxyRequest } from "../support/proxy-requests";
import { storeOfflineSession } from "../support/sessions";
import { shopifyForShop } from "../support/shopify-for-shop";
import type { ShopifyEdge } from "../support/shopify-edge";
import { callAction, webhookRequest } from "../support/webhooks";
import { deliverAndApply } from "../support/inbox";
import { sessionToken } from "../support/session-tokens";
import { APP_URL } from "@shopify/shopify-api/test-helpers";
import { ensureReferralCode } from "~/services/referrals/referrals.server";
import { awardFollow, awardReview, saveEarnRules } from "~/services/actions/earn-actions.server";
import { reviewSignature, rotateReviewSecret } from "~/services/actions/review-api.server";

const A = "tenant-a.myshopify.com";
const B = "tenant-b.myshopify.com";
/** A's customer (the fixtures' customer: orders, a refund, the delivery log). */
const A_CUSTOMER = "7302485617390244561";
/** A's second customer: points, an issued code, a reserved redemption. */
const A_RICH = "4410000000000001";
const A_EMAIL = "maren.okafor@example.com";

type Handler = (args: ActionFunctionArgs) => Promise<Response>;
let modules: Record<string, { loader?: Handler; action?: Handler }>;
let edge: ShopifyEdge;
let watchA: Awaited<ReturnType<typeof shopWatch>>;
let before: Fingerprint;

/** What B must never see of A. */
const a = {
  memberIds: [] as string[],
  /** A member's referral link code, and a referral held in A's review queue. */
  referralCode: "",
  referralId: "",
  /** A bonus event A runs. */
  bonusEventId: "",
  redemptionIds: [] as string[],
  codes: [] as string[],
  rewardIds: [] as string[],
  idempotencyKey: "tenant-a-redeem-1",
  jobId: "",
  deliveryIds: [] as string[],
  failedDeliveryId: "",
  campaignId: "",
  campaignCode: "TENANTA-CAMP-0001",
  backfillRunId: "",
  dataRequestId: "",
  /** A review A's review API rewarded, and A's review API secret. */
  reviewId: "tenant-a-review-1",
  reviewSecret: "",
};
const secrets = () => [
  ...a.memberIds,
  a.referralCode,
  a.referralId,
  a.bonusEventId,
  ...a.redemptionIds,
  ...a.codes,
  ...a.rewardIds,
  a.jobId,
  ...a.deliveryIds,
  a.campaignId,
  a.campaignCode,
  a.backfillRunId,
  a.dataRequestId,
  a.reviewId,
  a.reviewSecret,
  A_EMAIL,
  A_CUSTOMER,
  A_RICH,
  "Okafor",
];

interface Probe {
  name: string;
  /** The request, and what of A's it sent (an answer may echo its own input). */
  send: () => Promise<{ res: Response; sent?: string[] }>;
  /**
   * 404 where the probe names an id of A's; the status B's own request gets
   * where it acts on B (so it was not refused for another reason); otherwise
   * any answer that is not a 5xx.
   */
  status?: number;
}

// ---------------------------------------------------------------------------
// Requests as shop B.

const route = (id: string) => {
  const m = modules[id];
  if (!m) throw new Error(`no route ${id}`);
  return m;
};
const bDocument = (id: string, path: string, params: Record<string, string> = {}) =>
  adminDocument(path, B).then((request) => run(route(id).loader!, request, params));
const bPost = (id: string, path: string, body: BodyInit, params: Record<string, string> = {}) =>
  adminFetch(path, { method: "POST", body }, B).then((request) => run(route(id).action!, request, params));
const form = (fields: Record<string, string>) => new URLSearchParams(fields);
/** B's download button: a link from an authenticated POST, then the link alone. */
const bDownload = (id: string, path: string, params: Record<string, string> = {}) =>
  downloadFile(route(id) as Parameters<typeof downloadFile>[0], path, params, B);
/** B's delivery, then the inbox worker's pass that applies it (with A's ids in it). */
const bWebhook = (id: string, topic: string, body: string, path = `/webhooks/${topic}`) =>
  deliverAndApply(route(id).action!, webhookRequest({ topic, shop: B, body: null, rawBody: body, path }));
const bProxy = (id: string, request: Promise<Request>) =>
  request.then((r) => callProxy((route(id).action ?? route(id).loader)!, r));
const wrap = (res: Promise<Response>, sent?: string[]) => res.then((r) => ({ res: r, sent }));
/** A review API call as `shop`, signed with `secret`. */
const reviewCall = (shop: string, secret: string, body: string) => {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    request: new Request(`${APP_URL}/api/actions/review`, {
      method: "POST",
      headers: {
        "X-Regulars-Shop": shop,
        "X-Regulars-Timestamp": timestamp,
        "X-Regulars-Signature": reviewSignature(secret, timestamp, body),
      },
      body,
    }),
    params: {},
    context: {},
  };
};
/** The referral link's route, with its code as Remix passes it. */
const callReferralLink = async (kind: "loader" | "action", request: Request, code: string) => {
  const handler = route("proxy.r.$code")[kind]!;
  try {
    return await handler({ request, params: { code }, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
};
const unsubscribePost = (link: URL) => ({
  request: new Request(link, { method: "POST", body: "List-Unsubscribe=One-Click" }),
  params: {},
  context: {},
});

const redactBody = (topic: string, customer: string) =>
  `{"shop_id":2,"shop_domain":"${B}","customer":{"id":${customer},"email":"${A_EMAIL}","phone":"+12155550143"},"orders_to_redact":[6817362940512877913]${
    topic === "customers/data_request" ? ',"data_request":{"id":1}' : ""
  }}`;

/** A UI extension's request as shop B: a session token for B naming `sub` (one of A's customers). */
async function bSurface(id: string, path: string, sub: string, init: RequestInit = {}, params = {}) {
  const request = new Request(`${APP_URL}${path}`, init);
  request.headers.set("Authorization", `Bearer ${await sessionToken({ shop: B, claims: { sub } })}`);
  const handler = (init.method === "POST" ? route(id).action : route(id).loader)!;
  return handler({ request, params, context: {} }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });
}

/** The shopper surfaces (/surfaces/*) as B, naming A's customers, A's order and A's idempotency key. */
function surfaceProbes(): Record<string, Probe[]> {
  const customer = (id: string) => `gid://shopify/Customer/${id}`;
  const redeemBody = {
    method: "POST",
    body: JSON.stringify({ rewardKey: "10-off", idempotencyKey: a.idempotencyKey }),
  };
  const emptyStatus = async (res: Response) => {
    expect(await res.clone().json()).toMatchObject({ loggedIn: true, points: 0, codes: [] });
    return res;
  };
  const status = (id: string, path: string): Probe[] => [
    {
      status: 200,
      name: "status as A's customer, with B's token",
      send: () => wrap(bSurface(id, path, customer(A_RICH)).then(emptyStatus), [A_RICH]),
    },
  ];
  const redeem = (id: string, path: string): Probe[] => [
    {
      status: 409,
      name: "redeem as A's customer at B with A's idempotency key",
      send: () => wrap(bSurface(id, path, customer(A_RICH), redeemBody), [a.idempotencyKey, A_RICH]),
    },
  ];
  return {
    "surfaces.customer-account.status": status(
      "surfaces.customer-account.status",
      "/surfaces/customer-account/status",
    ),
    "surfaces.customer-account.redeem": redeem(
      "surfaces.customer-account.redeem",
      "/surfaces/customer-account/redeem",
    ),
    "surfaces.customer-account.actions.follow": [
      {
        // A pays for following on Instagram (and A_RICH was paid it); B's rule is off.
        status: 409,
        name: "follow as A's customer at B (B's rule is off)",
        send: () =>
          wrap(
            bSurface(
              "surfaces.customer-account.actions.follow",
              "/surfaces/customer-account/actions/follow",
              customer(A_RICH),
              {
                method: "POST",
                body: JSON.stringify({ rule: "follow-instagram" }),
              },
            ),
            [A_RICH],
          ),
      },
    ],
    "surfaces.customer-account.orders.$orderId": [
      {
        status: 200,
        name: "A's order, as A's customer, with B's token: not one B has",
        send: async () => {
          const orderId = "6817362940512877913";
          const res = await bSurface(
            "surfaces.customer-account.orders.$orderId",
            `/surfaces/customer-account/orders/${orderId}`,
            customer(A_CUSTOMER),
            {},
            { orderId },
          );
          expect(await res.clone().json()).toMatchObject({
            order: { state: "not_yet_received", points: 0, name: null },
          });
          return { res, sent: [A_CUSTOMER] };
        },
      },
    ],
    "surfaces.checkout.status": status("surfaces.checkout.status", "/surfaces/checkout/status"),
    "surfaces.checkout.redeem": redeem("surfaces.checkout.redeem", "/surfaces/checkout/redeem"),
    "surfaces.checkout.estimate": [
      {
        status: 200,
        name: "estimate as A's customer, with B's token",
        send: async () => {
          const res = await bSurface(
            "surfaces.checkout.estimate",
            "/surfaces/checkout/estimate",
            customer(A_RICH),
            {
              method: "POST",
              body: JSON.stringify({ subtotal: { amount: "100.00", currencyCode: "EUR" } }),
            },
          );
          expect(await res.clone().json()).toMatchObject({ member: { points: 0, codes: [] } });
          return { res, sent: [A_RICH] };
        },
      },
    ],
    "surfaces.pos.customers.$customerId.status": [
      {
        status: 200,
        name: "POS status of A's customer, with B's staff token",
        send: () =>
          wrap(
            bSurface(
              "surfaces.pos.customers.$customerId.status",
              `/surfaces/pos/customers/${A_RICH}/status`,
              "77",
              {},
              {
                customerId: A_RICH,
              },
            ).then(emptyStatus),
            [A_RICH],
          ),
      },
    ],
    "surfaces.pos.customers.$customerId.redeem": [
      {
        status: 409,
        name: "POS redeem for A's customer at B with A's idempotency key",
        send: () =>
          wrap(
            bSurface(
              "surfaces.pos.customers.$customerId.redeem",
              `/surfaces/pos/customers/${A_RICH}/redeem`,
              "77",
              redeemBody,
              {
                customerId: A_RICH,
              },
            ),
            [a.idempotencyKey, A_RICH],
          ),
      },
    ],
  };
}

const PROBES: Record<string, Probe[] | { noTenantData: string }> = {
  _index: { noTenantData: "the public landing page: a login form, no shop" },
  "auth.$": { noTenantData: "OAuth and token-exchange callbacks, answered by the Shopify library" },
  "auth.login": { noTenantData: "the login form; it only redirects to the shop's admin" },
  healthz: { noTenantData: "SELECT 1; answers { ok, database }" },
  app: [{ name: "layout", send: () => wrap(bDocument("app", "/app")) }],
  "app._index": [
    { name: "dashboard", send: () => wrap(bDocument("app._index", "/app?period=365&churn=30&atRisk=7")) },
  ],
  "app.program": [
    { name: "program page", send: () => wrap(bDocument("app.program", "/app/program")) },
    {
      name: "save with one of A's reward ids",
      status: 404,
      send: async () => {
        const page = (await (await bDocument("app.program", "/app/program")).json()) as {
          form: { rewards: { id: string; title: string }[] };
        };
        const stolen = { ...page.form.rewards[0]!, id: a.rewardIds[0]!, title: "Stolen" };
        const body = JSON.stringify({ ...page.form, rewards: [...page.form.rewards.slice(1), stolen] });
        return wrap(bPost("app.program", "/app/program", body), [a.rewardIds[0]!]);
      },
    },
  ],
  "app.customers._index": [
    {
      name: "search A's email, A's customer id, tier filter, A's member as cursor",
      send: async () => {
        const cursor = Buffer.from(JSON.stringify({ v: "999999", id: a.memberIds[0] })).toString("base64url");
        const res = await bDocument(
          "app.customers._index",
          `/app/customers?q=${encodeURIComponent(A_EMAIL)}&tier=member&balance=1&after=${cursor}`,
        );
        const members = ((await res.clone().json()) as { members: unknown[] }).members;
        expect(members).toEqual([]);
        return { res, sent: [A_EMAIL, a.memberIds[0]!] };
      },
    },
    {
      name: "search A's customer id",
      send: () => wrap(bDocument("app.customers._index", `/app/customers?q=${A_RICH}`), [A_RICH]),
    },
  ],
  "app.customers.$memberId": [
    ...[0, 1].map((i) => ({
      name: `A's member ${i} page`,
      status: 404,
      send: () =>
        wrap(
          bDocument("app.customers.$memberId", `/app/customers/${a.memberIds[i]}`, {
            memberId: a.memberIds[i]!,
          }),
          [a.memberIds[i]!],
        ),
    })),
    ...(["adjust", "issue", "revoke"] as const).map((intent) => ({
      name: `${intent} on A's member`,
      status: 404,
      send: () =>
        wrap(
          bPost(
            "app.customers.$memberId",
            `/app/customers/${a.memberIds[1]}`,
            form({
              intent,
              points: "-500",
              reason: "Tenancy probe",
              rewardKey: "5-off",
              idempotencyKey: "tenant-b-probe-1",
              redemptionId: a.redemptionIds[0]!,
            }),
            { memberId: a.memberIds[1]! },
          ),
          [a.memberIds[1]!, a.redemptionIds[0]!],
        ),
    })),
    {
      name: "revoke A's code from B's own member",
      status: 404,
      send: async () => {
        const own = await prisma.member.findFirstOrThrow({ where: { shop: B } });
        return wrap(
          bPost(
            "app.customers.$memberId",
            `/app/customers/${own.id}`,
            form({ intent: "revoke", redemptionId: a.redemptionIds[0]! }),
            { memberId: own.id },
          ),
          [a.redemptionIds[0]!],
        );
      },
    },
  ],
  "app.import": [
    { name: "import page", send: () => wrap(bDocument("app.import", "/app/import")) },
    ...(["dry-run", "import"] as const).map((intent) => ({
      name: `${intent} of A's members by email`,
      send: async () => {
        const body = new FormData();
        body.set("csv", new File([`email,points\n${A_EMAIL},100000\n`], "a.csv", { type: "text/csv" }));
        body.set("mode", "set");
        body.set("intent", intent);
        const res = await bPost("app.import", "/app/import", body);
        expect(res.status).toBe(422);
        return { res, sent: [A_EMAIL] };
      },
    })),
  ],
  "app.export.members": [
    { name: "members CSV", send: () => wrap(bDocument("app.export.members", "/app/export/members")) },
    {
      name: "members CSV through B's download link",
      status: 200,
      send: () => wrap(bDownload("app.export.members", "/app/export/members")),
    },
  ],
  "app.export.ledger": [
    { name: "ledger CSV", send: () => wrap(bDocument("app.export.ledger", "/app/export/ledger")) },
    {
      name: "ledger CSV through B's download link",
      status: 200,
      send: () => wrap(bDownload("app.export.ledger", "/app/export/ledger")),
    },
  ],
  "app.data-requests.$requestId": [
    {
      name: "mark A's data request delivered",
      status: 404,
      send: () =>
        wrap(
          bPost(
            "app.data-requests.$requestId",
            `/app/data-requests/${a.dataRequestId}`,
            form({ intent: "delivered" }),
            { requestId: a.dataRequestId },
          ),
          [a.dataRequestId],
        ),
    },
  ],
  "app.data-requests.$requestId.download": [
    {
      name: "a download link for A's data request",
      status: 404,
      send: () =>
        wrap(
          bDownload(
            "app.data-requests.$requestId.download",
            `/app/data-requests/${a.dataRequestId}/download`,
            {
              requestId: a.dataRequestId,
            },
          ),
          [a.dataRequestId],
        ),
    },
    {
      name: "A's customer data, asked with B's session token",
      status: 404,
      send: () =>
        wrap(
          bDocument(
            "app.data-requests.$requestId.download",
            `/app/data-requests/${a.dataRequestId}/download`,
            {
              requestId: a.dataRequestId,
            },
          ),
          [a.dataRequestId],
        ),
    },
  ],
  "app.activity": [
    { name: "deliveries and dead jobs", send: () => wrap(bDocument("app.activity", "/app/activity")) },
    {
      name: "retry A's dead job",
      status: 404,
      send: () =>
        wrap(bPost("app.activity", "/app/activity", form({ intent: "retry", jobId: a.jobId })), [a.jobId]),
    },
    {
      name: "retry A's failed delivery",
      status: 404,
      send: () =>
        wrap(
          bPost(
            "app.activity",
            "/app/activity",
            form({ intent: "retry-delivery", deliveryId: a.failedDeliveryId }),
          ),
          [a.failedDeliveryId],
        ),
    },
  ],
  "app.notifications": [
    { name: "the settings page", send: () => wrap(bDocument("app.notifications", "/app/notifications")) },
    {
      name: "B saves its own settings",
      status: 200,
      send: () =>
        wrap(
          bPost(
            "app.notifications",
            "/app/notifications",
            form({
              intent: "save",
              smtpHost: "smtp.tenant-b.example",
              smtpPort: "587",
              smtpSecure: "true",
              smtpUsername: "b",
              smtpPassword: "b-password",
              fromAddress: "rewards@tenant-b.example",
              defaultLocale: "en",
              pointsEarned: "true",
              expiryWarningDays: "30",
            }),
          ),
        ),
    },
  ],
  "notifications.unsubscribe": [
    {
      name: "a link A's customer got, with B's shop put in",
      status: 404,
      send: () => {
        const link = new URL(
          unsubscribeUrl({
            appUrl: "https://app.example",
            secret: mailConfig().secret,
            shop: A,
            customerGid: `gid://shopify/Customer/${A_CUSTOMER}`,
          }),
        );
        link.searchParams.set("shop", B);
        return wrap(route("notifications.unsubscribe").action!(unsubscribePost(link)), [A_CUSTOMER]);
      },
    },
    {
      name: "B's own link for a customer id of A's unsubscribes in B only",
      status: 200,
      send: () =>
        wrap(
          route("notifications.unsubscribe").action!(
            unsubscribePost(
              new URL(
                unsubscribeUrl({
                  appUrl: "https://app.example",
                  secret: mailConfig().secret,
                  shop: B,
                  customerGid: `gid://shopify/Customer/${A_CUSTOMER}`,
                }),
              ),
            ),
          ),
          [A_CUSTOMER],
        ),
    },
  ],
  "app.campaigns._index": [
    { name: "campaign list", send: () => wrap(bDocument("app.campaigns._index", "/app/campaigns")) },
  ],
  "app.campaigns.new": [
    {
      name: "segment count",
      send: () => wrap(bDocument("app.campaigns.new", "/app/campaigns/new?inactiveDays=1&minOrders=1")),
    },
    {
      name: "launch reusing A's idempotency key and tag",
      send: () =>
        wrap(
          bPost(
            "app.campaigns.new",
            "/app/campaigns/new",
            form({
              name: "Tenancy",
              inactiveDays: "1",
              minOrders: "1",
              offerType: "PERCENTAGE",
              percent: "10",
              validDays: "7",
              idempotencyKey: "tenant-a-campaign-1",
            }),
          ),
          ["tenant-a-campaign-1"],
        ),
    },
  ],
  "app.campaigns.$campaignId": [
    {
      name: "A's campaign page",
      status: 404,
      send: () =>
        wrap(
          bDocument("app.campaigns.$campaignId", `/app/campaigns/${a.campaignId}`, {
            campaignId: a.campaignId,
          }),
          [a.campaignId],
        ),
    },
    ...(["cancel", "retry"] as const).map((intent) => ({
      name: `${intent} A's campaign`,
      status: 404,
      send: () =>
        wrap(
          bPost("app.campaigns.$campaignId", `/app/campaigns/${a.campaignId}`, form({ intent }), {
            campaignId: a.campaignId,
          }),
          [a.campaignId],
        ),
    })),
  ],
  "app.campaigns.$campaignId_.codes": [
    {
      name: "a download link for A's campaign codes",
      status: 404,
      send: () =>
        wrap(
          bDownload("app.campaigns.$campaignId_.codes", `/app/campaigns/${a.campaignId}/codes`, {
            campaignId: a.campaignId,
          }),
          [a.campaignId],
        ),
    },
    {
      name: "A's campaign codes CSV",
      status: 404,
      send: () =>
        wrap(
          bDocument("app.campaigns.$campaignId_.codes", `/app/campaigns/${a.campaignId}/codes`, {
            campaignId: a.campaignId,
          }),
          [a.campaignId],
        ),
    },
  ],
  "app.onboarding": [
    {
      name: "dismiss B's checklist",
      status: 200,
      send: () => wrap(bPost("app.onboarding", "/app/onboarding", form({ intent: "dismiss" }))),
    },
  ],
  "app.backfill": [
    { name: "backfill runs", send: () => wrap(bDocument("app.backfill", "/app/backfill")) },
    {
      name: "cancel A's backfill run",
      status: 404,
      send: () =>
        wrap(bPost("app.backfill", "/app/backfill", form({ intent: "cancel", runId: a.backfillRunId })), [
          a.backfillRunId,
        ]),
    },
  ],
  "proxy.status": [
    {
      status: 200,
      name: "status as A's customers, signed for B",
      send: async () => {
        for (const customer of [A_CUSTOMER, A_RICH]) {
          const res = await bProxy("proxy.status", proxyRequest("status", { shop: B, customerId: customer }));
          expect(await res.clone().json()).toMatchObject({ loggedIn: true, points: 0, codes: [] });
        }
        return wrap(
          bProxy(
            "proxy.status",
            proxyRequest("status", { shop: B, customerId: A_RICH, query: { format: "html" } }),
          ),
          [A_RICH],
        );
      },
    },
  ],
  "proxy.redeem": [
    {
      status: 409,
      name: "redeem as A's customer at B with A's idempotency key",
      send: () =>
        wrap(
          bProxy(
            "proxy.redeem",
            proxyPost("redeem", JSON.stringify({ rewardKey: "10-off", idempotencyKey: a.idempotencyKey }), {
              shop: B,
              customerId: A_RICH,
            }),
          ),
          [a.idempotencyKey],
        ),
    },
  ],
  "app.referrals": [
    { name: "the referrals page", send: () => wrap(bDocument("app.referrals", "/app/referrals")) },
    {
      name: "approve A's held referral",
      send: () =>
        wrap(bPost("app.referrals", "/app/referrals", form({ intent: "approve", id: a.referralId })), [
          a.referralId,
        ]),
    },
    {
      name: "reject A's held referral",
      send: () =>
        wrap(
          bPost("app.referrals", "/app/referrals", form({ intent: "reject", id: a.referralId, note: "no" })),
          [a.referralId],
        ),
    },
  ],
  "app.bonus-events": [
    { name: "the bonus events page", send: () => wrap(bDocument("app.bonus-events", "/app/bonus-events")) },
    {
      name: "edit A's bonus event",
      send: () =>
        wrap(
          bPost(
            "app.bonus-events",
            "/app/bonus-events",
            form({
              id: a.bonusEventId,
              name: "Taken over",
              startsOn: "2099-01-01",
              endsOn: "2099-01-02",
              kind: "MULTIPLIER",
              multiplier: "10",
              fixedPoints: "",
            }),
          ),
          [a.bonusEventId],
        ),
    },
    {
      name: "end A's bonus event",
      send: () =>
        wrap(bPost("app.bonus-events", "/app/bonus-events", form({ intent: "end", id: a.bonusEventId })), [
          a.bonusEventId,
        ]),
    },
  ],
  "app.earn": [
    {
      name: "the ways to earn page: B's rules and no secret of A's",
      send: async () => {
        const res = await bDocument("app.earn", "/app/earn");
        const page = (await res.clone().json()) as { rules: { enabled: boolean }[]; secret: unknown };
        expect(page.rules.some((rule) => rule.enabled)).toBe(false);
        return { res };
      },
    },
    {
      name: "B saves its own rules",
      status: 200,
      send: () =>
        wrap(
          bPost(
            "app.earn",
            "/app/earn",
            form({ "newsletter.enabled": "on", "newsletter.points": "10", "newsletter.limit": "ONCE" }),
          ),
        ),
    },
  ],
  "proxy.r.$code": [
    {
      name: "A's member's link, opened at B",
      status: 404,
      send: async () => {
        // B runs referrals too, so the code is looked up among B's members (and not found).
        await prisma.program.upsert({
          where: { shop: B },
          create: { shop: B, referralsEnabled: true },
          update: { referralsEnabled: true },
        });
        const request = await proxyRequest(`r/${a.referralCode}`, { shop: B });
        return wrap(callReferralLink("loader", request, a.referralCode), [a.referralCode]);
      },
    },
    {
      name: "a code asked for through A's member's link at B",
      send: async () => {
        const request = await proxyPost(
          `r/${a.referralCode}`,
          JSON.stringify({ email: "b-shopper@tenant-b.example" }),
          { shop: B },
        );
        return wrap(callReferralLink("action", request, a.referralCode), [a.referralCode]);
      },
    },
  ],
  "proxy.birthday": [
    {
      status: 200,
      name: "birthday as A's customer at B",
      send: () =>
        wrap(
          bProxy(
            "proxy.birthday",
            proxyPost("birthday", JSON.stringify({ month: 1, day: 1 }), { shop: B, customerId: A_RICH }),
          ),
        ),
    },
  ],
  "proxy.actions.follow": [
    {
      status: 409,
      name: "follow as A's customer at B (B's rule is off)",
      send: () =>
        wrap(
          bProxy(
            "proxy.actions.follow",
            proxyPost("actions/follow", JSON.stringify({ rule: "follow-instagram" }), {
              shop: B,
              customerId: A_RICH,
            }),
          ),
          [A_RICH],
        ),
    },
  ],
  "api.actions.review": [
    {
      // B's member for that customer id (earlier probes made one) is B's own, and B's rule is
      // off: A's rule and A's award of that review id play no part.
      status: 409,
      name: "B's signed review of A's customer with A's review id: B's own rule decides",
      send: async () => {
        const secret = await rotateReviewSecret(prisma, B);
        const body = JSON.stringify({ customerId: A_RICH, reviewId: a.reviewId });
        const res = await route("api.actions.review").action!(reviewCall(B, secret, body));
        expect(await res.clone().json()).toMatchObject({ error: "rule_off" });
        return { res, sent: [A_RICH, a.reviewId] };
      },
    },
    {
      status: 401,
      name: "A's secret for a call naming shop B",
      send: async () => {
        const body = JSON.stringify({ customerId: A_RICH, reviewId: "tenant-b-review" });
        return wrap(route("api.actions.review").action!(reviewCall(B, a.reviewSecret, body)), [A_RICH]);
      },
    },
  ],
  ...surfaceProbes(),
  "flow.lifecycle": [
    {
      name: "B's callback: B turns a workflow on, then off",
      send: async () => {
        const flow = route("flow.lifecycle").action!;
        const first = await callLifecycle(
          flow,
          lifecycleCallback({
            shop: B,
            trigger: "regulars-points-earned",
            enabled: true,
            timestamp: new Date(),
          }),
        );
        expect(first.status).toBe(200);
        return wrap(
          callLifecycle(
            flow,
            lifecycleCallback({
              shop: B,
              trigger: "regulars-points-earned",
              enabled: false,
              timestamp: new Date(Date.now() + 1000),
            }),
          ),
        );
      },
    },
  ],
  "flow.actions.award-points": [
    {
      name: "B's workflow awards points to A's customer id: B's own member, A's balance untouched",
      status: 200,
      send: async () =>
        wrap(
          callLifecycle(
            route("flow.actions.award-points").action!,
            await actionRunRequest({
              shop: B,
              handle: FLOW_ACTIONS.awardPoints,
              properties: { customer_id: A_RICH, points: 10, reason: "Probe" },
            }),
          ),
          [A_RICH],
        ),
    },
  ],
  "flow.actions.deduct-points": [
    {
      name: "B's workflow deducts from A's customer: unknown at B",
      status: 404,
      send: async () =>
        wrap(
          callLifecycle(
            route("flow.actions.deduct-points").action!,
            await actionRunRequest({
              shop: B,
              handle: FLOW_ACTIONS.deductPoints,
              properties: { customer_id: A_CUSTOMER, points: 1, reason: "Probe" },
            }),
          ),
          [A_CUSTOMER],
        ),
    },
  ],
  "flow.actions.issue-reward": [
    {
      name: "B's workflow issues a reward to A's customer: unknown at B, no code",
      status: 404,
      send: async () =>
        wrap(
          callLifecycle(
            route("flow.actions.issue-reward").action!,
            await actionRunRequest({
              shop: B,
              handle: FLOW_ACTIONS.issueReward,
              properties: { customer_id: A_CUSTOMER, reward: "5-off" },
            }),
          ),
          [A_CUSTOMER],
        ),
    },
  ],
  "webhooks.orders.paid": [
    {
      status: 200,
      name: "A's order paid at B",
      send: () => wrap(bWebhook("webhooks.orders.paid", "orders/paid", rawFixture("orders-paid"))),
    },
  ],
  "webhooks.orders.updated": [
    {
      status: 200,
      name: "A's order updated at B",
      send: () => wrap(bWebhook("webhooks.orders.updated", "orders/updated", rawFixture("orders-updated"))),
    },
  ],
  "webhooks.orders.cancelled": [
    {
      status: 200,
      name: "A's order cancelled at B",
      send: () =>
        wrap(
          bWebhook(
            "webhooks.orders.cancelled",
            "orders/cancelled",
            rawFixture("orders-paid").replace(
              '"cancelled_at": null',
              '"cancelled_at": "2025-12-01T10:00:00+01:00"',
            ),
          ),
        ),
    },
  ],
  "webhooks.refunds.create": [
    {
      status: 200,
      name: "A's refund at B",
      send: () => wrap(bWebhook("webhooks.refunds.create", "refunds/create", rawFixture("refunds-create"))),
    },
  ],
  "webhooks.customers.create": [
    {
      status: 200,
      name: "A's customer created at B",
      send: () =>
        wrap(bWebhook("webhooks.customers.create", "customers/create", rawFixture("customers-create"))),
    },
  ],
  "webhooks.customers.update": [
    {
      status: 200,
      name: "A's customer updated at B",
      send: () =>
        wrap(bWebhook("webhooks.customers.update", "customers/update", rawFixture("customers-update"))),
    },
  ],
  "webhooks.compliance": [
    ...["customers/redact", "customers/data_request"].flatMap((topic) =>
      [A_CUSTOMER, A_RICH].map((customer) => ({
        status: 200,
        name: `${topic} of A's customer ${customer} from B`,
        send: () =>
          wrap(bWebhook("webhooks.compliance", topic, redactBody(topic, customer), "/webhooks/compliance"), [
            customer,
            A_EMAIL,
          ]),
      })),
    ),
    {
      status: 200,
      name: "shop/redact from B",
      send: () =>
        wrap(
          bWebhook(
            "webhooks.compliance",
            "shop/redact",
            `{"shop_id":2,"shop_domain":"${B}"}`,
            "/webhooks/compliance",
          ),
        ),
    },
  ],
  "webhooks.app.scopes_update": [
    {
      status: 200,
      name: "scopes update from B",
      send: () =>
        wrap(bWebhook("webhooks.app.scopes_update", "app/scopes_update", `{"current":["read_orders"]}`)),
    },
  ],
  // Last: B uninstalls (its sessions go), A stays installed.
  "webhooks.app.uninstalled": [
    {
      status: 200,
      name: "uninstall from B",
      send: () =>
        wrap(
          bWebhook(
            "webhooks.app.uninstalled",
            "app/uninstalled",
            `{"domain":"${B}","myshopify_domain":"${B}"}`,
          ),
        ),
    },
  ],
};

beforeAll(async () => {
  modules = Object.fromEntries(
    await Promise.all(
      routeFiles().map(async (r) => {
        const m = await loadRoute(r);
        return [
          r.id,
          { loader: m.loader as unknown as Handler, action: m.action as unknown as Handler },
        ] as const;
      }),
    ),
  );
  // GIVEN shop A with everything a shop accumulates ...
  await prisma.shop.create({ data: { domain: A, installedAt: new Date() } });
  await storeOfflineSession(prisma, A, { accessToken: "shpat_tenant_a", scope: process.env.SCOPES! });
  const deliverA = (id: string, topic: string, body: string) =>
    deliverAndApply(modules[id]!.action!, webhookRequest({ topic, shop: A, body: null, rawBody: body }));
  expect(
    (await deliverA("webhooks.customers.create", "customers/create", rawFixture("customers-create"))).status,
  ).toBe(200);
  expect((await deliverA("webhooks.orders.paid", "orders/paid", rawFixture("orders-paid"))).status).toBe(200);
  expect(
    (await deliverA("webhooks.refunds.create", "refunds/create", rawFixture("refunds-create"))).status,
  ).toBe(200);
  // ... a customer's data request waiting for the merchant,
  const asked = await deliverAndApply(
    modules["webhooks.compliance"]!.action!,
    webhookRequest({
      topic: "customers/data_request",
      shop: A,
      body: null,
      rawBody: `{"shop_id":1,"shop_domain":"${A}","orders_requested":[],"customer":{"id":${A_CUSTOMER},"email":"${A_EMAIL}","phone":null},"data_request":{"id":1}}`,
      path: "/webhooks/compliance",
    }),
  );
  expect(asked.status).toBe(200);
  a.dataRequestId = (await prisma.dataRequest.findFirstOrThrow({ where: { shop: A } })).id;
  await withJobs(() =>
    adjustPoints(
      prisma,
      A,
      {
        customerGid: `gid://shopify/Customer/${A_RICH}`,
        points: 5000,
        reason: "Seed",
        staffId: "s",
        idempotencyKey: "tenant-a-1",
      },
      new Date(),
    ),
  );
  const shopifyA = adminStandIn();
  const issued = await redeemReward(
    prisma,
    shopifyA.admin,
    A,
    { customerGid: `gid://shopify/Customer/${A_RICH}`, rewardKey: "5-off", idempotencyKey: a.idempotencyKey },
    new Date(),
  );
  const reserved = await reservePoints(
    prisma,
    A,
    {
      customerGid: `gid://shopify/Customer/${A_RICH}`,
      rewardKey: "5-off",
      idempotencyKey: "tenant-a-redeem-2",
    },
    new Date(),
  );
  a.redemptionIds = [issued.id, reserved.id];
  a.codes = [issued.code, reserved.code];
  a.memberIds = (await prisma.member.findMany({ where: { shop: A }, orderBy: { createdAt: "asc" } })).map(
    (m) => m.id,
  );
  a.rewardIds = (await prisma.reward.findMany({ where: { shop: A } })).map((r) => r.id);
  // A runs referrals: its first member has a link, and a referral waits in A's review queue.
  await prisma.program.update({ where: { shop: A }, data: { referralsEnabled: true } });
  a.referralCode = await ensureReferralCode(prisma, A, a.memberIds[0]!);
  a.referralId = (
    await prisma.referral.create({
      data: {
        shop: A,
        referrerId: a.memberIds[0]!,
        refereeEmail: "friend-of-a@tenant-a.example",
        code: "AFRIEND-CODE",
        status: "HELD",
        holdReasons: ["self"],
      },
    })
  ).id;
  // A runs a bonus event that is not over.
  a.bonusEventId = (
    await prisma.bonusEvent.create({
      data: {
        shop: A,
        name: "A's double points",
        startsOn: "2099-01-01",
        endsOn: "2099-01-07",
        timeZone: "UTC",
        startsAt: new Date("2099-01-01T00:00:00Z"),
        endsAt: new Date("2099-01-08T00:00:00Z"),
        kind: "MULTIPLIER",
        multiplierE4: 20_000,
      },
    })
  ).id;
  // A pays for reviews and follows: a review its review API rewarded, a follow.
  await saveEarnRules(
    prisma,
    A,
    {
      review: { enabled: true, points: 20, limit: "UNLIMITED", url: null },
      "follow-instagram": { enabled: true, points: 10, limit: "ONCE", url: "https://instagram.com/tenant-a" },
    },
    new Date(),
  );
  a.reviewSecret = await rotateReviewSecret(prisma, A);
  expect(
    (
      await awardReview(
        prisma,
        A,
        { customerGid: `gid://shopify/Customer/${A_RICH}`, reviewId: a.reviewId },
        new Date(),
      )
    ).status,
  ).toBe("awarded");
  expect(
    (
      await awardFollow(
        prisma,
        A,
        { customerGid: `gid://shopify/Customer/${A_RICH}`, rule: "follow-instagram" },
        new Date(),
      )
    ).status,
  ).toBe("awarded");
  // ... and a delivery that gave up (its body kept for a retry).
  expect(
    (
      await callAction(
        modules["webhooks.orders.updated"]!.action!,
        webhookRequest({
          topic: "orders/updated",
          shop: A,
          body: null,
          rawBody: rawFixture("orders-updated"),
        }),
      )
    ).status,
  ).toBe(200);
  await prisma.webhookDelivery.updateMany({
    where: { shop: A, outcome: "received" },
    data: { outcome: "failed" },
  });
  a.failedDeliveryId = (
    await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: A, outcome: "failed" } })
  ).id;
  a.deliveryIds = (await prisma.webhookDelivery.findMany({ where: { shop: A } })).map((d) => d.id);
  // ... a dead job,
  const jobId = await jobs.boss.send(
    "member-sync",
    { shop: A, memberId: a.memberIds[0]! },
    { retryLimit: 0 },
  );
  const [fetched] = await jobs.boss
    .fetch("member-sync", { batchSize: 50 })
    .then((js) => js.filter((j) => j.id === jobId));
  expect(fetched).toBeDefined();
  await jobs.boss.fail("member-sync", jobId!, { message: "Admin API HTTP 502" });
  expect((await jobs.listFailed(A)).map((j) => j.id)).toContain(jobId);
  a.jobId = jobId!;
  // ... a win-back campaign and a backfill run.
  const campaign = await prisma.campaign.create({
    data: {
      shop: A,
      idempotencyKey: "tenant-a-campaign-1",
      name: "A's campaign",
      tag: "Regulars win-back A",
      inactiveDays: 90,
      minOrders: 1,
      offerType: "PERCENTAGE",
      percentBps: 1000,
      validDays: 7,
      recipientCount: 1,
      launchedAt: new Date(),
      endsAt: new Date(Date.now() + 7 * 86_400_000),
      recipients: {
        create: [{ shop: A, customerGid: `gid://shopify/Customer/${A_CUSTOMER}`, code: a.campaignCode }],
      },
    },
  });
  a.campaignId = campaign.id;
  a.backfillRunId = (
    await prisma.backfillRun.create({
      data: { shop: A, fromDate: new Date("2025-01-01T00:00:00Z"), toDate: new Date("2025-06-01T00:00:00Z") },
    })
  ).id;
  // AND shop B, installed, with a member of its own
  ({ edge } = await shopifyForShop(prisma, B, "shpat_tenant_b", process.env.SCOPES));
  await adjustPoints(
    prisma,
    B,
    {
      customerGid: "gid://shopify/Customer/5550001",
      points: 100,
      reason: "Seed",
      staffId: "s",
      idempotencyKey: "tenant-b-1",
    },
    new Date(),
  );
  watchA = await shopWatch(prisma, jobs.schema, A);
  before = await watchA.take();
}, 60_000);
afterAll(() => edge?.restore());

describe("shop B probing with shop A's ids", () => {
  it("every route of app/routes has probes (or is listed as holding no shop's data)", () => {
    expect(Object.keys(PROBES).sort()).toEqual(
      routeFiles()
        .map((r) => r.id)
        .sort(),
    );
  });

  for (const [id, probes] of Object.entries(PROBES)) {
    if (!Array.isArray(probes)) continue;
    for (const probe of probes) {
      it(`${id}: ${probe.name}`, async () => {
        const { res, sent = [] } = await probe.send();
        if (probe.status) expect(res.status).toBe(probe.status);
        else expect(res.status).toBeLessThan(500);
        const text = await res.text();
        for (const secret of secrets().filter((s) => s && !sent.includes(s))) {
          expect(text, `${id} answered with A's ${secret}`).not.toContain(secret);
        }
        expect(await watchA.changedSince(before)).toEqual([]);
      });
    }
  }

  it("A still has all it had: members, balances, codes, its dead job, its installation", async () => {
    const members = await prisma.member.findMany({ where: { shop: A } });
    expect(members.map((m) => m.id).sort()).toEqual([...a.memberIds].sort());
    expect(await jobs.listFailed(A)).toEqual([expect.objectContaining({ id: a.jobId })]);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: A } })).uninstalledAt).toBeNull();
    expect(await prisma.session.count({ where: { shop: A } })).toBe(1);
  });
});
