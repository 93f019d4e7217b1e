import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { storedText } from "./stored-text";

const wellFormed = (s: string) => {
  try {
    encodeURIComponent(s); // throws URIError on a lone surrogate
    return true;
  } catch {
    return false;
  }
};

describe("storedText", () => {
  it("cuts at the limit between characters, never inside an emoji", () => {
    expect(storedText("ab😀cd", 3)).toBe("ab");
    expect(storedText("ab😀cd", 4)).toBe("ab😀");
    expect(storedText("short")).toBe("short");
  });

  it("replaces a lone surrogate that was in the message", () => {
    expect(storedText("a\uD83Db")).toBe("a\uFFFDb");
    expect(storedText("\uDE00x")).toBe("\uFFFDx");
  });

  it("is always well formed, at most the limit, and a prefix of the message when that was well formed", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), fc.integer({ min: 1, max: 40 }), (s, max) => {
        const out = storedText(s, max);
        expect(wellFormed(out)).toBe(true);
        expect(out.length).toBeLessThanOrEqual(max);
        if (wellFormed(s)) expect(s.startsWith(out)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
