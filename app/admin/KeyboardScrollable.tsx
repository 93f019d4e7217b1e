/**
 * Wraps a Polaris IndexTable or DataTable so that, when it is wider than the
 * screen (a phone), its scrolling area can be reached and scrolled with the
 * keyboard: the area becomes a focusable, named region. Polaris draws that
 * area itself and takes no prop for it, so the attributes are set after it
 * renders (and again whenever Polaris redraws it).
 * https://dequeuniversity.com/rules/axe/4.10/scrollable-region-focusable
 */
import { useEffect, useRef, type ReactNode } from "react";

const SCROLL_AREAS = ".Polaris-IndexTable-ScrollContainer, .Polaris-DataTable__ScrollContainer";

function label(root: HTMLElement, name: string) {
  for (const area of root.querySelectorAll<HTMLElement>(SCROLL_AREAS)) {
    if (area.getAttribute("tabindex") !== "0") area.setAttribute("tabindex", "0");
    if (area.getAttribute("role") !== "region") area.setAttribute("role", "region");
    if (area.getAttribute("aria-label") !== name) area.setAttribute("aria-label", name);
  }
}

export function KeyboardScrollable({ label: name, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    label(root, name);
    const observer = new MutationObserver(() => label(root, name));
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [name]);
  return <div ref={ref}>{children}</div>;
}
