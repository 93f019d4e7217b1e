/**
 * Importing balances from a CSV (dry run, every bad row reported by line,
 * all or nothing, the same file twice changes nothing) and exporting members
 * and the ledger, through the admin routes with signed requests.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { parseCsv } from "~/loyalty/csv";
import { API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";
import { loader as exportLedger } from "~/routes/app.export.ledger";
import { action as membersLink, loader as exportMembers } from "~/routes/app.export.members";
import { signDownloadLink } from "~/services/exports/download-links.server";
import { action as importAction } from "~/routes/app.import";
import { adminDocument, adminFetch, run } from "../support/admin-requests";
import { resetLoyaltyData } from "../support/reset";
import { storeOfflineSession } from "../support/sessions";
import { expectLedgerConsistent } from "../support/ledger-invariant";

const OTHER_SHOP = "other-import.myshopify.com";

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  await prisma.session.deleteMany();
  await storeOfflineSession(prisma, TEST_SHOP, { accessToken: "shpat_import", scope: "read_customers" });
  for (const [shop, i, email] of [
    [TEST_SHOP, 1, "ada@example.com"],
    [TEST_SHOP, 2, "Grace@Example.com"],
    [TEST_SHOP, 3, "linus@example.com"],
    [OTHER_SHOP, 4, "ada@example.com"],
  ] as const) {
    await prisma.member.create({
      data: { shop, customerGid: `gid://shopify/Customer/${i}`, email, balance: 0 },
    });
  }
});

async function upload(csv: string, mode: "add" | "set", intent: "dry-run" | "import") {
  const form = new FormData();
  form.set("csv", new File([csv], "balances.csv", { type: "text/csv" }));
  form.set("mode", mode);
  form.set("intent", intent);
  const res = await run(importAction, await adminFetch("/app/import", { method: "POST", body: form }));
  return { status: res.status, body: await res.json() };
}
const balances = async (shop = TEST_SHOP) =>
  Object.fromEntries(
    (await prisma.member.findMany({ where: { shop }, orderBy: { email: "asc" } })).map((m) => [
      m.email,
      m.balance,
    ]),
  );

describe("balance import", () => {
  it("a file with bad rows: every one reported with its line, nothing written, dry run or not", async () => {
    const csv = [
      "Email,Points,Name",
      "ada@example.com,100,Ada",
      "not-an-email,5,X",
      "grace@example.com,ten,Grace",
      "nobody@example.com,5,Nobody",
      "ADA@example.com,7,Again",
      "linus@example.com,5",
    ].join("\n");
    for (const intent of ["dry-run", "import"] as const) {
      const { status, body } = await upload(csv, "add", intent);
      expect(status).toBe(422);
      expect(body.errors).toEqual([
        {
          line: 3,
          about: "email",
          value: "not-an-email",
          error: { code: "email", example: "name@example.com" },
        },
        { line: 4, about: "points", value: "ten", error: { code: "wholeNumber" } },
        { line: 5, about: "email", value: "nobody@example.com", error: { code: "unknownEmail" } },
        { line: 6, about: "email", value: "ada@example.com", error: { code: "repeated", line: 2 } },
        { line: 7, about: "row", error: { code: "columns", found: 2, expected: 3 } },
      ]);
    }
    expect(await prisma.ledgerEntry.count()).toBe(0);
  });

  it("a dry run tells what would change; the import does it once; the same file again changes nothing", async () => {
    const csv = "email,points\r\nada@example.com,100\r\ngrace@example.com,250\r\n";
    const dry = await upload(csv, "add", "dry-run");
    expect(dry).toEqual({
      status: 200,
      body: {
        dryRun: true,
        rows: 2,
        errors: [],
        changes: 2,
        unchanged: 0,
        pointsAdded: 350,
        pointsRemoved: 0,
      },
    });
    expect(await prisma.ledgerEntry.count()).toBe(0);
    expect((await upload(csv, "add", "import")).body).toMatchObject({ changes: 2, pointsAdded: 350 });
    expect((await upload(csv, "add", "import")).body).toMatchObject({ changes: 0, unchanged: 2 });
    expect(await balances()).toEqual({
      "Grace@Example.com": 250,
      "ada@example.com": 100,
      "linus@example.com": 0,
    });
    expect(await balances(OTHER_SHOP)).toEqual({ "ada@example.com": 0 });
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(entry).toMatchObject({
      kind: "ADJUST",
      staffId: expect.stringMatching(/^gid:\/\/shopify\/StaffMember\//),
    });
    await expectLedgerConsistent(prisma, TEST_SHOP);
  });

  it("set mode makes the file's number the balance; a negative add that would overdraw aborts the whole file", async () => {
    await upload("email,points\nada@example.com,100\n", "add", "import");
    expect(
      (await upload("email,points\nada@example.com,40\nlinus@example.com,10\n", "set", "import")).body,
    ).toMatchObject({
      changes: 2,
      pointsAdded: 10,
      pointsRemoved: 60,
    });
    const overdraw = await upload(
      "email,points\nlinus@example.com,5\nada@example.com,-41\n",
      "add",
      "import",
    );
    expect(overdraw.status).toBe(422);
    expect(overdraw.body.errors).toEqual([
      { line: 3, about: "points", value: "-41", error: { code: "belowZero", balance: 40 } },
    ]);
    expect(await balances()).toEqual({
      "Grace@Example.com": 0,
      "ada@example.com": 40,
      "linus@example.com": 10,
    });
  });

  it("echoes at most 100 characters of a bad value, with an ellipsis, however long the cell", async () => {
    const huge = "x".repeat(4_900_000);
    const csv = `email,points\n${huge},5\nada@example.com,${"9".repeat(50_000)}\n"${"\u00e9".repeat(300)}@example.com",1\n`;
    const { status, body } = await upload(csv, "add", "dry-run");
    expect(status).toBe(422);
    expect(body.errors).toEqual([
      {
        line: 2,
        about: "email",
        value: `${"x".repeat(100)}…`,
        error: { code: "email", example: "name@example.com" },
      },
      {
        line: 3,
        about: "points",
        value: `${"9".repeat(100)}…`,
        error: { code: "range", min: -10_000_000, max: 10_000_000, unit: "points" },
      },
      { line: 4, about: "email", value: `${"\u00e9".repeat(100)}…`, error: { code: "unknownEmail" } },
    ]);
    expect(JSON.stringify(body).length).toBeLessThan(2_000);
  });

  it("refuses a request without a file, and an unsigned one", async () => {
    const form = new FormData();
    form.set("mode", "add");
    form.set("intent", "import");
    const res = await run(importAction, await adminFetch("/app/import", { method: "POST", body: form }));
    expect(res.status).toBe(422);
    const forged = await run(
      importAction,
      await adminFetch("/app/import", { method: "POST", body: form }, TEST_SHOP, "forged-secret"),
    );
    expect(forged.status).toBe(401);
  });
});

describe("exports", () => {
  it("members and the ledger as CSV, this shop only, readable back", async () => {
    await upload('email,points\nada@example.com,100\n"grace@example.com",7\n', "add", "import");
    const members = await run(exportMembers, await adminDocument("/app/export/members"));
    expect(members.headers.get("Content-Type")).toMatch(/text\/csv/);
    const memberRows = parseCsv(await members.text());
    expect(memberRows[0]!.fields.slice(0, 5)).toEqual([
      "customer_id",
      "email",
      "first_name",
      "last_name",
      "points",
    ]);
    expect(
      memberRows
        .slice(1)
        .map((r) => [r.fields[0], r.fields[4]])
        .sort(),
    ).toEqual([
      ["1", "100"],
      ["2", "7"],
      ["3", "0"],
    ]);
    const ledger = parseCsv(
      await (await run(exportLedger, await adminDocument("/app/export/ledger"))).text(),
    );
    expect(ledger).toHaveLength(3);
    expect(ledger.slice(1).map((r) => r.fields[2])).toEqual(["ADJUST", "ADJUST"]);
  });
});

describe("download links (the Export buttons inside the admin)", () => {
  const plain = (pathAndQuery: string) => new Request(`${APP_URL}${pathAndQuery}`);
  const linkFor = async (shop = TEST_SHOP) => {
    const res = await run(membersLink, await adminFetch("/app/export/members", { method: "POST" }, shop));
    expect(res.status).toBe(200);
    return ((await res.json()) as { url: string }).url;
  };

  it("the button's authenticated POST gets a link; the link alone downloads this shop's members", async () => {
    const url = await linkFor();
    expect(url).toMatch(/^\/app\/export\/members\?shop=test-shop\.myshopify\.com&expires=\d+&signature=/);
    const res = await run(exportMembers, plain(url));
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="regulars-members.csv"');
    const ids = parseCsv(await res.text())
      .slice(1)
      .map((row) => row.fields[0])
      .sort();
    expect(ids).toEqual(["1", "2", "3"]);
  });

  it("a GET with neither a link nor a session token goes to the login page, as the library sends any", async () => {
    const res = await run(exportMembers, plain("/app/export/members"));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/auth/login");
  });

  it("a POST without a valid session token gets no link", async () => {
    const forged = await run(
      membersLink,
      await adminFetch("/app/export/members", { method: "POST" }, TEST_SHOP, "forged-secret"),
    );
    expect(forged.status).toBe(401);
    expect(await forged.text()).not.toContain("signature=");
  });

  it("refuses, with a message and no file, a link for another export, another shop, or expired", async () => {
    const url = await linkFor();
    const asLedger = await run(exportLedger, plain(url.replace("/app/export/members", "/app/export/ledger")));
    expect(asLedger.status).toBe(403);
    expect(await asLedger.text()).toBe("This download link is not valid.");
    const otherShop = await run(exportMembers, plain(url.replace("test-shop", "other-import")));
    expect(otherShop.status).toBe(403);
    const old = signDownloadLink({
      secret: API_SECRET_KEY,
      shop: TEST_SHOP,
      pathname: "/app/export/members",
      now: new Date(Date.now() - 61_000),
    });
    const expired = await run(exportMembers, plain(old));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/expired/);
  });

  it("another shop's link downloads that shop's members only", async () => {
    await storeOfflineSession(prisma, OTHER_SHOP, { accessToken: "shpat_other", scope: "read_customers" });
    const res = await run(exportMembers, plain(await linkFor(OTHER_SHOP)));
    const rows = parseCsv(await res.text()).slice(1);
    expect(rows.map((row) => [row.fields[0], row.fields[1]])).toEqual([["4", "ada@example.com"]]);
  });
});
