/**
 * An unexpected console.error fails the test that caused it. A test that
 * expects one says so first with expectConsoleError(/pattern/).
 */
import { afterEach, beforeEach, vi } from "vitest";
import { format } from "node:util";

const expected: RegExp[] = [];
let unexpected: string[] = [];

export function expectConsoleError(pattern: RegExp): void {
  expected.push(pattern);
}

beforeEach(() => {
  expected.length = 0;
  unexpected = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    const message = format(...args);
    if (!expected.some((pattern) => pattern.test(message))) unexpected.push(message);
  });
});

afterEach(() => {
  const messages = unexpected;
  unexpected = [];
  vi.mocked(console.error).mockRestore();
  if (messages.length > 0) {
    throw new Error(`Unexpected console.error during the test:\n${messages.join("\n---\n")}`);
  }
});
