/** Shopify-shaped payloads from tests/fixtures/shopify, with overrides. */
import { readFileSync } from "node:fs";
import path from "node:path";

export type Payload = Record<string, unknown>;

export function rawFixture(name: string): string {
  return readFileSync(path.resolve(__dirname, `../fixtures/shopify/${name}.json`), "utf8");
}

/**
 * The fixture as JSON text with overrides merged in at the top level. Big
 * ids stay exact because the text is edited, not re-serialised from numbers.
 */
export function fixtureBody(name: string, overrides: Payload = {}): string {
  let text = rawFixture(name).trim();
  for (const [key, value] of Object.entries(overrides)) {
    text = `${text.slice(0, -1)}, ${JSON.stringify(key)}: ${JSON.stringify(value)}}`;
  }
  return text;
}
