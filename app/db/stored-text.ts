/**
 * A message (an error, a reason) as a text column can take it: at most
 * `max` characters, cut between characters, never inside one, with any lone
 * UTF-16 surrogate replaced by U+FFFD. A message can quote a body Shopify
 * sent, and JavaScript's slice() may cut an emoji in half: Prisma refuses
 * such a string outright ("unexpected end of hex escape"), so the row that
 * should record the failure could never be written.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function storedText(message: string, max = 2000): string {
  let text = message.length > max ? message.slice(0, max) : message;
  // A pair cut in half at the end: drop its first half.
  if (/[\uD800-\uDBFF]$/.test(text) && message.length > max) text = text.slice(0, -1);
  return text.replace(LONE_SURROGATE, "\uFFFD");
}
