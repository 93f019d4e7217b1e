/**
 * The app's session storage reads sessions on the driver (loadSession) and
 * writes them through @shopify/shopify-app-session-storage-prisma: a session
 * it loads must be the one the Prisma storage loads, field for field, for
 * every kind the library stores, in any time zone the process runs in.
 * Its tokens are encrypted at rest: the table never holds them, a row stored
 * before encryption still reads and is rewritten encrypted, and a key
 * rotation re-encrypts every row with the new key.
 */
import { randomBytes } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { afterEach, describe, expect, it, vi } from "vitest";
import { receiveDelivery } from "~/db/deliveries.server";
import { prisma } from "~/db.server";
import {
  SESSION_CACHE_MS,
  SessionStorage,
  withCachedSessionReads,
} from "~/shopify/sessions/session-storage.server";
import { TokenCipher } from "~/shopify/sessions/token-cipher";

const shop = "session-storage.myshopify.com";
const key = randomBytes(32);
const ours = new SessionStorage(prisma, new TokenCipher([key]));
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

describe("session reads inside withCachedSessionReads", () => {
  const offline = (id: string, accessToken: string, expires?: Date) =>
    new Session({ id, shop, state: "c", isOnline: false, scope: "read_orders", accessToken, expires });
  /** A write that bypasses this storage, as another process's would. */
  const elsewhere = (id: string, accessToken: string) =>
    prisma.session.update({ where: { id }, data: { accessToken } });
  const cached = (id: string) => withCachedSessionReads(() => ours.loadSession(id));

  it("keep an offline session for a few seconds; other reads, and writes here, see the database", async () => {
    const id = `offline_cache-${shop}`;
    await ours.storeSession(offline(id, "token-1"));
    expect((await cached(id))!.accessToken).toBe("token-1");
    await elsewhere(id, "token-2");
    expect((await cached(id))!.accessToken).toBe("token-1"); // this process's copy
    expect((await ours.loadSession(id))!.accessToken).toBe("token-2"); // outside: the database

    // Past the copy's time, the database again.
    const now = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(now + SESSION_CACHE_MS + 1);
    try {
      expect((await cached(id))!.accessToken).toBe("token-2");
    } finally {
      vi.mocked(Date.now).mockRestore();
    }

    // A session stored or deleted through this storage is read afresh.
    await ours.storeSession(offline(id, "token-3"));
    expect((await cached(id))!.accessToken).toBe("token-3");
    await ours.deleteSession(id);
    expect(await cached(id)).toBeUndefined();
  });

  it("never keep an online session, or one whose token is due for a refresh", async () => {
    const online = sessions[1]!;
    await theirs.storeSession(online);
    await cached(online.id);
    await elsewhere(online.id, "shpua_rotated");
    expect((await cached(online.id))!.accessToken).toBe("shpua_rotated");

    // Expiring in 6 minutes: a copy lapses before the library's 5-minute refresh window opens, so it is
    // kept. In 5 minutes and 3 seconds: a copy could outlive the window's start, so it is not.
    for (const [inMs, kept] of [
      [6 * 60_000, true],
      [5 * 60_000 + 3_000, false],
    ] as const) {
      const id = `offline_expiring-${inMs}-${shop}`;
      await ours.storeSession(offline(id, "before", new Date(Date.now() + inMs)));
      await cached(id);
      await elsewhere(id, "after");
      expect((await cached(id))!.accessToken, `expiring in ${inMs} ms`).toBe(kept ? "before" : "after");
    }
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

describe("tokens at rest", () => {
  /** Everything the table holds for a session, as text. */
  const rawRow = async (id: string) =>
    JSON.stringify(
      await prisma.$queryRawUnsafe(`SELECT * FROM "Session" WHERE id = $1`, id),
      (_key, value) => (typeof value === "bigint" ? value.toString() : value),
    );
  const expiring = (id: string, accessToken: string, refreshToken: string) =>
    new Session({
      id,
      shop,
      state: "t",
      isOnline: false,
      scope: "read_orders",
      accessToken,
      expires: new Date(Date.now() + 3_600_000),
      refreshToken,
      refreshTokenExpires: new Date(Date.now() + 90 * 86_400_000),
    });
  /** Forms a token could be written in: as it is, base64, hex. */
  const forms = (token: string) => [
    token,
    Buffer.from(token).toString("base64"),
    Buffer.from(token).toString("base64url"),
    Buffer.from(token).toString("hex"),
  ];

  it("the table holds neither token in any form; the library reads both back", async () => {
    const id = `offline_rest-${shop}`;
    await ours.storeSession(expiring(id, "shpat_at_rest_secret_0001", "shprt_at_rest_secret_0001"));
    const row = await rawRow(id);
    for (const form of [...forms("shpat_at_rest_secret_0001"), ...forms("shprt_at_rest_secret_0001")]) {
      expect(row).not.toContain(form);
    }
    const loaded = (await ours.loadSession(id))!;
    expect(loaded.accessToken).toBe("shpat_at_rest_secret_0001");
    expect(loaded.refreshToken).toBe("shprt_at_rest_secret_0001");
    const [found] = (await ours.findSessionsByShop(shop)).filter((session) => session.id === id);
    expect(found!.accessToken).toBe("shpat_at_rest_secret_0001");
    expect(found!.refreshToken).toBe("shprt_at_rest_secret_0001");
  });

  it("a token copied into another session's row does not decrypt", async () => {
    const a = `offline_copy-a-${shop}`;
    const b = `offline_copy-b-${shop}`;
    await ours.storeSession(expiring(a, "shpat_a", "shprt_a"));
    await ours.storeSession(expiring(b, "shpat_b", "shprt_b"));
    const stolen = await prisma.session.findUniqueOrThrow({ where: { id: a } });
    await prisma.session.update({ where: { id: b }, data: { accessToken: stolen.accessToken } });
    await expect(ours.loadSession(b)).rejects.toThrow(/does not decrypt/);
  });

  it("a row stored before encryption reads as it is, and is rewritten encrypted once", async () => {
    const id = `offline_legacy-${shop}`;
    await prisma.session.create({
      data: {
        id,
        shop,
        state: "",
        isOnline: false,
        scope: "read_orders",
        accessToken: "shpat_legacy_plain",
        refreshToken: "shprt_legacy_plain",
      },
    });
    expect((await ours.loadSession(id))!.accessToken).toBe("shpat_legacy_plain");
    const first = await ours.resealStaleTokens();
    expect(first.resealed).toBeGreaterThanOrEqual(1);
    expect(first.unreadable).toEqual([]);
    const row = await rawRow(id);
    expect(row).not.toContain("shpat_legacy_plain");
    expect(row).not.toContain("shprt_legacy_plain");
    const loaded = (await ours.loadSession(id))!;
    expect([loaded.accessToken, loaded.refreshToken]).toEqual(["shpat_legacy_plain", "shprt_legacy_plain"]);
    expect(await ours.resealStaleTokens()).toEqual({ resealed: 0, unreadable: [] });
  });

  it("rotation: the new key first and the old after it reads every row and re-encrypts it; then the new key alone", async () => {
    const id = `offline_rotate-${shop}`;
    await ours.storeSession(expiring(id, "shpat_rotate", "shprt_rotate"));
    const before = await prisma.session.findUniqueOrThrow({ where: { id } });

    const next = randomBytes(32);
    const rotating = new SessionStorage(prisma, new TokenCipher([next, key]));
    expect((await rotating.loadSession(id))!.accessToken).toBe("shpat_rotate");
    expect((await rotating.resealStaleTokens()).resealed).toBeGreaterThanOrEqual(1);
    const after = await prisma.session.findUniqueOrThrow({ where: { id } });
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);

    const rotated = new SessionStorage(prisma, new TokenCipher([next]));
    const loaded = (await rotated.loadSession(id))!;
    expect([loaded.accessToken, loaded.refreshToken]).toEqual(["shpat_rotate", "shprt_rotate"]);
    // The old key alone no longer reads it, and says which key it needs.
    await expect(ours.loadSession(id)).rejects.toThrow(/SESSION_ENCRYPTION_KEY does not list/);
    expect((await ours.resealStaleTokens()).unreadable).toContain(id);
  });
});
