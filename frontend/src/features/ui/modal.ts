/** What every modal does with the keyboard: Escape cancels, Tab stays inside. */
import { type KeyboardEvent, type RefObject, useEffect } from "react";

/** Focuses `initial()` when the modal opens, and gives focus back to its opener when it closes. */
export function useModalFocus(initial: () => HTMLElement | null | undefined): void {
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    initial()?.focus();
    return () => opener?.focus();
  }, []); // once, when the modal opens
}

export function modalKeyDown(
  event: KeyboardEvent<HTMLElement>,
  container: RefObject<HTMLElement | null>,
  focusable: string,
  onCancel: () => void,
): void {
  if (event.key === "Escape") {
    event.stopPropagation();
    onCancel();
    return;
  }
  if (event.key !== "Tab" || !container.current) return;
  const found = container.current.querySelectorAll<HTMLElement>(focusable);
  const first = found[0];
  const last = found[found.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}
