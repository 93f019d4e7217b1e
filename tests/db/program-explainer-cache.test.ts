/**
 * The app proxy keeps each shop's program for a few seconds: a save through
 * the admin shows at once, a change made elsewhere within the TTL, and a
 * redemption never relies on the copy.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { cachedProgramExplainer, EXPLAINER_TTL_MS } from "~/services/program/program-explainer-cache.server";
import { getProgram, updateProgram } from "~/services/program/program-settings.server";

const rate = async (shop: string, nowMs: number) =>
  (await cachedProgramExplainer(prisma, shop, nowMs)).explainer.earnRate;

describe("the app proxy's program copy", () => {
  it("serves the copy within the TTL, reloads after it, and forgets it when the merchant saves", async () => {
    const shop = "explainer-cache.myshopify.com";
    const t0 = 1_000_000;
    expect(await rate(shop, t0)).toBe("5");
    // A change written by another process (here: straight to the table) shows after the TTL.
    await prisma.program.update({ where: { shop }, data: { earnRateE4: 70_000 } });
    expect(await rate(shop, t0 + EXPLAINER_TTL_MS - 1)).toBe("5");
    expect(await rate(shop, t0 + EXPLAINER_TTL_MS)).toBe("7");
    // A save in this process shows at once.
    const { settings } = await getProgram(prisma, shop);
    await updateProgram(prisma, shop, { settings: { ...settings, earnRateE4: 90_000 } }, new Date());
    expect(await rate(shop, t0 + EXPLAINER_TTL_MS + 1)).toBe("9");
  });

  it("keeps shops apart and shares one load between concurrent requests", async () => {
    const [a, b] = ["cache-a.myshopify.com", "cache-b.myshopify.com"];
    await updateProgram(prisma, b, { settings: { earnRateE4: 20_000 } }, new Date());
    const loads = [cachedProgramExplainer(prisma, a, 5), cachedProgramExplainer(prisma, a, 6)];
    expect(loads[0]).toBe(loads[1]);
    expect((await loads[0]!).explainer.earnRate).toBe("5");
    expect(await rate(b, 7)).toBe("2");
  });
});
