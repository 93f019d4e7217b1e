/**
 * Counting words in a language: a number written its way (1 234 in French)
 * and the singular or plural by its plural rules (French: 0 and 1 are
 * singular; German and Spanish: only 1).
 */
export function counting(language: string) {
  const rules = new Intl.PluralRules(language);
  const numbers = new Intl.NumberFormat(language);
  return {
    /** The number as the language writes it. */
    n: (value: number) => numbers.format(value),
    /** `one` when the language says the count is singular, `other` otherwise. */
    plural: (count: number, one: string, other: string) => (rules.select(count) === "one" ? one : other),
  };
}
