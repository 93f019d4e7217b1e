/**
 * Every language of the admin says everything the English admin says: the same keys, no empty
 * string, every function answering for 0, 1 and many, and nothing left in English except the
 * words the languages share (brand names, CSV, ...), listed below with the reason.
 */
import { describe, expect, it } from "vitest";
import type { AdminStrings } from "../../app/admin/admin-strings";
import { stringsFor } from "../../app/admin/strings-for";
import { adminLocale } from "../../app/admin/locale";
import { strings } from "../../app/admin/strings";

const TRANSLATIONS = ["fr", "de", "es"] as const;

/** Arguments for functions whose parameters are not plain numbers or strings. */
const SAMPLE_ARGS: Record<string, (count: number) => unknown[]> = {
  "bonusEvents.days": (count) => [`${count} July`, `${count + 1} July`],
  "bonusEvents.size": (count) => [count === 1 ? "FIXED" : "MULTIPLIER", "1.5", count],
  "importExport.report": (count) => [
    {
      rows: count,
      changes: count,
      unchanged: count,
      pointsAdded: count,
      pointsRemoved: count,
      dryRun: count === 1,
    },
  ],
};

/** Words the same in English and the language, by language and key. */
const SAME_AS_ENGLISH: Record<(typeof TRANSLATIONS)[number], string[]> = {
  fr: [
    "appName", // Regulars, the app's name
    "dashboard.title",
    "customer.historyColumns.points", // "Points"
    "customers.columns.balance", // "Points"
    "customer.balance", // "Points"
    "program.reward.points", // "points"
    "backfill.columns.points", // "Points"
    "program.includeTax", // "Taxes", Shopify's French word
    "notifications.nav", // "Notifications", as in Shopify's French admin
    "notifications.title",
    "notifications.port", // "Port"
    "customer.kinds.FLOW", // "Shopify Flow", Shopify's product name
    "bonusEvents.collections", // "Collections", as in Shopify's French admin
    "earn.points", // "Points"
  ],
  de: [
    "appName",
    "dashboard.title",
    "customer.codeColumns.status", // "Status"
    "importExport.exportTitle", // "Export"
    "program.tierName", // "Name"
    "campaigns.columns.status", // "Status"
    "backfill.columns.status", // "Status"
    "notifications.columns.status",
    "notifications.host", // "Host", the SMTP word
    "notifications.port", // "Port"
    "customer.kinds.FLOW", // "Shopify Flow"
  ],
  es: [
    "appName",
    "dashboard.title",
    "notifications.host", // "Host", the SMTP word
    "customer.kinds.FLOW", // "Shopify Flow"
  ],
};

type Leaf = { path: string; value: unknown };

function leaves(value: unknown, path = ""): Leaf[] {
  if (typeof value === "string" || typeof value === "function") return [{ path, value }];
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([key, child]) => leaves(child, path ? `${path}.${key}` : key));
  return [{ path, value }];
}

/** What a leaf says: the string, or what the function answers for 0, 1 and 1234. */
function said(leaf: Leaf): string[] {
  if (typeof leaf.value === "string") return [leaf.value];
  const fn = leaf.value as (...args: unknown[]) => unknown;
  return [0, 1, 1234].map((count) => {
    const args = SAMPLE_ARGS[leaf.path]?.(count) ?? Array.from({ length: fn.length }, () => count);
    return String(fn(...args));
  });
}

const english = leaves(strings);

describe.each(TRANSLATIONS)("the admin in %s", (language) => {
  const translated: AdminStrings = stringsFor(language);
  const byPath = new Map(leaves(translated).map((leaf) => [leaf.path, leaf]));

  it("has exactly the English keys, of the same kinds", () => {
    expect([...byPath.keys()].sort()).toEqual(english.map((leaf) => leaf.path).sort());
    for (const leaf of english) {
      expect(typeof byPath.get(leaf.path)?.value, leaf.path).toBe(typeof leaf.value);
      if (typeof leaf.value === "function")
        expect((byPath.get(leaf.path)!.value as () => unknown).length, leaf.path).toBe(leaf.value.length);
    }
  });

  it("says something everywhere, with no hole in a sentence", () => {
    for (const leaf of byPath.values()) {
      for (const text of said(leaf)) {
        expect(text.trim(), leaf.path).not.toBe("");
        expect(text, leaf.path).not.toMatch(/undefined|NaN|\[object/);
      }
    }
  });

  it("is not English except the shared words", () => {
    const same = english
      .filter((leaf) => said(leaf).join("|") === said(byPath.get(leaf.path)!).join("|"))
      .map((leaf) => leaf.path);
    expect(same.sort()).toEqual([...SAME_AS_ENGLISH[language]].sort());
  });

  it("keeps the placeholders the page fills in", () => {
    for (const leaf of english) {
      if (typeof leaf.value !== "string") continue;
      const placeholders = leaf.value.match(/\{\w+\}/g) ?? [];
      for (const placeholder of placeholders)
        expect(byPath.get(leaf.path)!.value as string, leaf.path).toContain(placeholder);
    }
  });
});

describe("plurals follow each language's rules", () => {
  it("French counts 0 and 1 as singular", () => {
    expect(stringsFor("fr").dashboard.codeOrders(0)).toBe("0 commande");
    expect(stringsFor("fr").dashboard.codeOrders(1)).toBe("1 commande");
    expect(stringsFor("fr").dashboard.codeOrders(2)).toBe("2 commandes");
  });
  it("German and Spanish count only 1 as singular", () => {
    expect(stringsFor("de").dashboard.codeOrders(0)).toBe("0 Bestellungen");
    expect(stringsFor("de").dashboard.codeOrders(1)).toBe("1 Bestellung");
    expect(stringsFor("es").dashboard.codeOrders(0)).toBe("0 pedidos");
    expect(stringsFor("es").dashboard.codeOrders(1)).toBe("1 pedido");
  });
  it("agrees the sentence with the count, not only the noun", () => {
    expect(stringsFor("fr").campaigns.progressLine(1, 5)).toBe("1 code créé sur 5");
    expect(stringsFor("fr").campaigns.launchConfirm(1)).toBe(
      "Créer un code pour 1 client et lui ajouter une balise dans Shopify ?",
    );
    expect(stringsFor("de").dataRequests.more(1)).toBe(
      "und 1 weitere, die erscheint, sobald diese zugestellt sind",
    );
    expect(stringsFor("es").campaigns.launchConfirm(2)).toBe(
      "¿Crear un código para cada uno de los 2 clientes y etiquetarlos en Shopify?",
    );
  });
  it("writes counts with the language's digit grouping", () => {
    expect(stringsFor("de").dashboard.codeOrders(12345)).toBe("12.345 Bestellungen");
    expect(stringsFor("fr").dashboard.codeOrders(12345)).toBe("12\u202f345 commandes");
  });
});

describe("the locale Shopify sends", () => {
  it.each([
    ["fr", "fr", "fr"],
    ["fr-CA", "fr", "fr-CA"],
    ["de-DE", "de", "de-DE"],
    ["es-419", "es", "es-419"],
    ["en-GB", "en", "en-GB"],
    ["pt-BR", "en", "en"],
    ["ja", "en", "en"],
    ["", "en", "en"],
    [null, "en", "en"],
    ["not a locale!", "en", "en"],
  ])("%s: the admin in %s, formatted as %s", (raw, language, tag) => {
    expect(adminLocale(raw)).toEqual({ language, tag });
  });
  it("gives English words for a language the admin does not speak", () => {
    expect(stringsFor("pt-BR")).toBe(strings);
    expect(stringsFor("fr-CA").nav.customers).toBe("Clients");
  });
});
