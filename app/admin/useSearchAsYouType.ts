/**
 * A search field that searches as the merchant types, as Shopify's admin
 * does: the text is applied once typing pauses (`delayMs`), or at once on
 * Enter (`submit`). Text equal to what is applied already applies nothing.
 */
import { useEffect, useRef, useState } from "react";

export const SEARCH_DELAY_MS = 300;

export function useSearchAsYouType(applied: string, apply: (text: string) => void, delayMs = SEARCH_DELAY_MS) {
  const [text, setText] = useState(applied);
  const applyRef = useRef(apply);
  applyRef.current = apply;
  // The URL changed on its own (Back, Clear filters): the field follows it.
  useEffect(() => setText(applied), [applied]);
  useEffect(() => {
    if (text.trim() === applied) return;
    const timer = setTimeout(() => applyRef.current(text.trim()), delayMs);
    return () => clearTimeout(timer);
  }, [text, applied, delayMs]);
  const submit = () => {
    if (text.trim() !== applied) applyRef.current(text.trim());
  };
  return { text, setText, submit };
}
