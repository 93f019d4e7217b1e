/**
 * The UI extensions' words: every key of an extension's en.default.json is in its fr, de and es
 * files (and no other), with the same `{{placeholders}}`; and every key its code translates
 * exists. Keys built at run time (`errors.${code}`, `history.kinds.${kind}`) are checked for
 * every value they can take: the refusal codes (extensions/shared/regulars-client.ts, which
 * holds app/http/storefront-errors.ts's codes) and the ledger's kinds (prisma/schema.prisma).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { STOREFRONT_ERRORS } from "~/http/storefront-errors";
import { ERROR_CODES } from "../../extensions/shared/regulars-client";

const EXTENSIONS = ["customer-account-page", "customer-account-blocks", "checkout-rewards", "pos-rewards"];
const LANGUAGES = ["fr", "de", "es"];

type Messages = { [key: string]: string | Messages };

/** Every key as a dotted path; plural forms (one, other) stay under their key. */
function leaves(messages: Messages, prefix = ""): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(messages)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") found.set(name, value);
    else for (const [leaf, text] of leaves(value, name)) found.set(leaf, text);
  }
  return found;
}

const read = (handle: string, file: string) =>
  JSON.parse(readFileSync(path.resolve("extensions", handle, "locales", file), "utf8")) as Messages;
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

const ledgerKinds = (() => {
  const schema = readFileSync(path.resolve("prisma/schema.prisma"), "utf8");
  const body = /enum LedgerKind \{([^}]*)\}/.exec(schema)![1]!;
  // The enum's values: a word alone on its line (comments aside).
  return body
    .split("\n")
    .map((line) => /^\s*([A-Z_]+)\s*(\/\/.*)?$/.exec(line)?.[1])
    .filter((kind): kind is string => Boolean(kind))
    .map((kind) => kind.toLowerCase());
})();

/** The keys an extension's code asks for: literal keys, and `${...}` keys for every value. */
function keysUsed(handle: string): string[] {
  const sources = [
    ...readdirSync(path.resolve("extensions", handle, "src")).map((file) =>
      path.resolve("extensions", handle, "src", file),
    ),
  ];
  const keys = new Set<string>();
  for (const file of sources) {
    const code = readFileSync(file, "utf8");
    for (const [, key] of code.matchAll(/translate\(\s*"([^"]+)"/g)) keys.add(key!);
    // Keys handed to a helper that translates them: quoted dotted words ("order.earned").
    for (const [, key] of code.matchAll(/"([a-z_]+(?:\.[a-z_]+)+)"/g)) keys.add(key!);
    for (const [, template] of code.matchAll(/translate\(\s*`([^`]+)`/g)) {
      const [prefix] = template!.split("${");
      const values =
        prefix === "errors." ? [...ERROR_CODES] : prefix!.startsWith("history.") ? ledgerKinds : null;
      if (!values) throw new Error(`${file}: no values known for the key ${template}`);
      for (const value of values) keys.add(`${prefix}${value}`);
    }
  }
  return [...keys];
}

describe.each(EXTENSIONS)("extensions/%s/locales", (handle) => {
  const english = leaves(read(handle, "en.default.json"));

  it.each(LANGUAGES)(
    "%s has every key of en.default.json, no other, with the same placeholders",
    (language) => {
      const translated = leaves(read(handle, `${language}.json`));
      expect([...translated.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [key, text] of english) {
        expect(placeholders(translated.get(key)!), `${language}: ${key}`).toEqual(placeholders(text));
      }
    },
  );

  it("has every key its code uses", () => {
    const used = keysUsed(handle);
    expect(used.length).toBeGreaterThan(5);
    // A key with plural forms is used through `count`: its .one/.other are present.
    const present = (key: string) => english.has(key) || english.has(`${key}.other`);
    expect(used.filter((key) => !present(key))).toEqual([]);
  });
});

it("the extensions know every refusal the storefront's service can answer (the birthday's aside)", () => {
  const known = new Set<string>(ERROR_CODES);
  // The birthday is the theme's alone (proxy.birthday); a social follow is also the Rewards page's.
  const storefront = Object.keys(STOREFRONT_ERRORS).filter(
    (code) => !["not_a_date", "birthday_already_set"].includes(code),
  );
  expect(storefront.filter((code) => !known.has(code))).toEqual([]);
});
