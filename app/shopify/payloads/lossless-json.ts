/**
 * JSON.parse that keeps Shopify's big numeric ids exact. Order, refund and
 * line item ids exceed 2^53, so JSON.parse would round them; here every
 * integer literal too large for a double is turned into a string first.
 * Strings in the document are skipped over, never rewritten.
 *
 * Every delivery the web process receives goes through this, so it is
 * written for speed: strings (most of a payload) are skipped with indexOf,
 * and only integer literals of 16 digits or more are looked at twice (one of
 * 15 digits or fewer is always below 2^53).
 */
const QUOTE = 34; // "
const BACKSLASH = 92;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;
const DOT = 46;
const PLUS = 43;
const LOWER_E = 101;
const UPPER_E = 69;

/** The index just past the string whose opening quote is at `open` (the text's length if it never closes). */
function endOfString(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  while (close !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return close + 1;
    close = text.indexOf('"', close + 1);
  }
  return text.length;
}

export function parseLosslessJson(text: string): unknown {
  let out: string[] | undefined;
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = endOfString(text, i);
      continue;
    }
    if (c === MINUS || (c >= ZERO && c <= NINE)) {
      const start = i;
      if (c === MINUS) i++;
      const digitsFrom = i;
      let d = text.charCodeAt(i);
      while (d >= ZERO && d <= NINE) d = text.charCodeAt(++i);
      if (d === DOT || d === LOWER_E || d === UPPER_E) {
        // a fraction or an exponent: a double, left as it is
        for (
          d = text.charCodeAt(++i);
          (d >= ZERO && d <= NINE) ||
          d === DOT ||
          d === LOWER_E ||
          d === UPPER_E ||
          d === PLUS ||
          d === MINUS;
        )
          d = text.charCodeAt(++i);
        continue;
      }
      if (i - digitsFrom >= 16) {
        const literal = text.slice(start, i);
        if (!Number.isSafeInteger(Number(literal))) {
          (out ??= []).push(text.slice(last, start), '"', literal, '"');
          last = i;
        }
      }
      continue;
    }
    i++;
  }
  if (!out) return JSON.parse(text);
  out.push(text.slice(last));
  return JSON.parse(out.join(""));
}
