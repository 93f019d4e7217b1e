/**
 * The app's session storage reads sessions on the driver (loadSession) and
 * writes them through @shopify/shopify-app-session-storage-prisma: a session
 * it loads must be the one the Prisma storage loads, field for field, for
 * every kind the library stores, in any time zone the process runs in.
 */
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { afterEach, describe, expect, it } from "vitest";
import { receiveDelivery } from "~/db/deliveries.server";
import { prisma } from "~/db.server";
import { SessionStorage } from "~/shopify/session-storage.server";

const shop = "session-storage.myshopify.com";
const ours = new SessionStorage(prisma);
const theirs = new PrismaSessionStorage(prisma);

const sessions: Session[] = [
  // An offline session with an expiring token and its refresh token (expiringOfflineAccessTokens).
  new Session({
    id: `offline_${shop}`,
    shop,
    state: "state-1",
    isOnline: false,
    scope: "read_orders,write_discounts",
    accessToken: "shpat_offline",
    expires: new Date("2026-11-23T21:00:00.123Z"),
    refreshToken: "shprt_refresh",
    refreshTokenExpires: new Date("2027-02-23T21:00:00.456Z"),
  }),
  // An online session with its user (a 64-bit id at the edge of JavaScript's safe integers).
  new Session({
    id: `${shop}_9007199254740992`,
    shop,
    state: "state-2",
    isOnline: true,
    scope: "read_orders",
    accessToken: "shpua_online",
    expires: new Date("2026-11-24T21:00:00.000Z"),
    onlineAccessInfo: {
      expires_in: 86_400,
      associated_user_scope: "read_orders",
      associated_user: {
        id: 9_007_199_254_740_992,
        first_name: "Maren",
        last_name: "Okafor",
        email: "maren@example.com",
        email_verified: true,
        account_owner: false,
        locale: "de",
        collaborator: true,
      },
    },
  }),
  // A bare session: no scope, no expiry, no token yet (as OAuth begins).
  new Session({ id: `bare_${shop}`, shop, state: "state-3", isOnline: false }),
];

describe("session storage on the driver", () => {
  it("loads every session as the Prisma storage does", async () => {
    for (const session of sessions) {
      await theirs.storeSession(session);
      const expected = await theirs.loadSession(session.id);
      const loaded = await ours.loadSession(session.id);
      expect(loaded).toBeInstanceOf(Session);
      expect(loaded!.toPropertyArray(true)).toEqual(expected!.toPropertyArray(true));
      expect(loaded!.isActive(session.scope ?? "")).toBe(expected!.isActive(session.scope ?? ""));
    }
    const online = await ours.loadSession(sessions[1]!.id);
    expect(online!.onlineAccessInfo?.associated_user.email).toBe("maren@example.com");
    expect((await ours.loadSession(sessions[0]!.id))!.refreshToken).toBe("shprt_refresh");
  });

  it("writes through the Prisma storage and finds nothing for an unknown or deleted id", async () => {
    const session = new Session({
      id: `offline_other-${shop}`,
      shop,
      state: "s",
      isOnline: false,
      accessToken: "t",
    });
    await ours.storeSession(session);
    expect((await ours.loadSession(session.id))!.accessToken).toBe("t");
    await ours.deleteSession(session.id);
    expect(await ours.loadSession(session.id)).toBeUndefined();
    expect(await ours.loadSession("offline_nobody.myshopify.com")).toBeUndefined();
  });
});

describe("statements on the driver in a process outside UTC", () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it("keep instants exact, as Prisma reads and writes them (UTC wall time)", async () => {
    // Newfoundland: -03:30, so an hour-sized or date-sized slip both show.
    process.env.TZ = "America/St_Johns";
    expect(new Date("2026-11-23T12:00:00Z").getHours()).toBe(8);
    const session = new Session({
      id: `offline_zone-${shop}`,
      shop,
      state: "z",
      isOnline: false,
      accessToken: "t",
      expires: new Date("2026-11-23T23:30:00.250Z"),
      refreshToken: "r",
      refreshTokenExpires: new Date("2027-01-01T00:15:00.000Z"),
    });
    await theirs.storeSession(session);
    const loaded = await ours.loadSession(session.id);
    expect(loaded!.expires!.toISOString()).toBe("2026-11-23T23:30:00.250Z");
    expect(loaded!.refreshTokenExpires!.toISOString()).toBe("2027-01-01T00:15:00.000Z");

    const triggeredAt = new Date("2026-11-23T23:59:59.999Z");
    await receiveDelivery(prisma, shop, { webhookId: "zone-1", topic: "ORDERS_PAID", triggeredAt }, "{}");
    const stored = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop, webhookId: "zone-1" } });
    expect(stored.triggeredAt!.toISOString()).toBe(triggeredAt.toISOString());
  });
});
