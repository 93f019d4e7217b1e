/**
 * A search field that searches as the merchant types, as Shopify's admin
 * does: the text is applied once typing pauses (`delayMs`), or at once on
 * Enter (`submit`). Text equal to what is applied already applies nothing.
 */
import { useEffect, useRef, useState } from "react";

const SEARCH_DELAY_MS = 300;

export function useSearchAsYouType(
  applied: string,
  apply: (text: string) => void,
  delayMs = SEARCH_DELAY_MS,
) {
  const [text, setText] = useState(applied);
  const [seen, setSeen] = useState(applied);
  // The URL changed on its own (Back, Clear filters): the field follows it. Not when it is the
  // field's own text being applied ("ada " applies "ada": the space being typed stays).
  if (seen !== applied) {
    setSeen(applied);
    if (text.trim() !== applied) setText(applied);
  }
  const applyRef = useRef(apply);
  useEffect(() => {
    applyRef.current = apply;
  });
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
