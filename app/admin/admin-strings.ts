/**
 * The shape every language of the admin must have: the English strings
 * (strings.ts, the source of truth) with their literal types widened to
 * string, functions kept with their parameters. A translation typed
 * `AdminStrings` lacks no key and has none extra.
 */
import type { strings } from "./strings";

type Widen<T> = T extends string
  ? string
  : T extends (...args: infer A) => infer R
    ? (...args: A) => Widen<R>
    : T extends object
      ? { readonly [K in keyof T]: Widen<T[K]> }
      : T;

export type AdminStrings = Widen<typeof strings>;
