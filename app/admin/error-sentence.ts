/**
 * A field's error as a full sentence, as Shopify's admin writes them ("Title
 * can't be blank."): the field's name, then what is wrong with it, capitalized
 * and ended with a full stop.
 */
export function errorSentence(subject: string, fragment: string): string {
  const text = `${subject} ${fragment}`.trim();
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? "" : "."}`;
}
