/** A freshly created key, shown once, with a Copy button. */
import { useState } from "react";

import type { ApiKeyCreated } from "../../api/types";

export function NewKey({ created, onDone }: { created: ApiKeyCreated; onDone(): void }) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied("yes");
    } catch {
      // Clipboard refused (e.g. plain http): select the text so Ctrl+C works.
      const field = document.getElementById("new-key-value");
      if (field instanceof HTMLInputElement) field.select();
      setCopied("no");
    }
  }

  return (
    <section className="new-key" aria-labelledby="new-key-title">
      <h2 id="new-key-title">Key “{created.name}” created</h2>
      <p>
        Copy it now: it is shown only once. Send it as{" "}
        <code>Authorization: Bearer &lt;key&gt;</code>.
      </p>
      <div className="new-key__row">
        <input
          id="new-key-value"
          className="mono"
          readOnly
          value={created.key}
          aria-label="The new API key"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="button--primary" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p role="status" className="muted">
        {copied === "yes" && "Copied to the clipboard."}
        {copied === "no" && "Copying is blocked here; the key is selected, press Ctrl+C."}
      </p>
      <button type="button" onClick={onDone}>
        I have saved it
      </button>
    </section>
  );
}
