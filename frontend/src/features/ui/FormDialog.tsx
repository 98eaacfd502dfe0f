/**
 * A modal form: focus moves to its first field, Escape cancels, Tab stays inside, and focus
 * returns to whatever opened it. Submitting runs `onSubmit` (Enter works in any field).
 */
import { type FormEvent, type KeyboardEvent, type ReactNode, useId, useRef } from "react";

import { modalKeyDown, useModalFocus } from "./modal";

interface Props {
  title: string;
  children: ReactNode;
  submitLabel: string;
  busy?: boolean;
  onSubmit(): void;
  onCancel(): void;
}

const FOCUSABLE = "input:not([disabled]), select:not([disabled]), button:not([disabled])";

export function FormDialog({
  title,
  children,
  submitLabel,
  busy = false,
  onSubmit,
  onCancel,
}: Props) {
  const titleId = useId();
  const formRef = useRef<HTMLFormElement>(null);

  useModalFocus(() => formRef.current?.querySelector<HTMLElement>(FOCUSABLE));

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    modalKeyDown(event, formRef, FOCUSABLE, onCancel);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit();
  }

  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <form
        ref={formRef}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={onKeyDown}
        onSubmit={submit}
      >
        <h2 id={titleId}>{title}</h2>
        <div className="form-grid">{children}</div>
        <div className="dialog__actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button--primary" disabled={busy}>
            {submitLabel}
          </button>
        </div>
      </form>
    </div>
  );
}
