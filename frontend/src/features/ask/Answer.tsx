/** An answer with numbered citations; `[n]` in the answer jumps to citation n. */
import type { ReactNode } from "react";

import type { Citation, QueryResponse } from "../../api/types";
import { href } from "../../router";
import { Notice } from "../ui/Notice";

export function Answer({ response }: { response: QueryResponse }) {
  const { answer, citations, notice } = response;
  if (citations.length === 0 && !answer.trim()) {
    return <p className="empty">Nothing in your documents matches this question.</p>;
  }
  return (
    <article className="answer" aria-labelledby="answer-title">
      <h2 id="answer-title">Answer</h2>
      {notice && <Notice kind="info">{notice}</Notice>}
      <p className="answer__text">{linkMarkers(answer, citations.length)}</p>
      {citations.length > 0 && <Citations citations={citations} />}
    </article>
  );
}

export function Citations({ citations }: { citations: readonly Citation[] }) {
  return (
    <section aria-labelledby="citations-title">
      <h3 id="citations-title">Sources</h3>
      <ol className="citations">
        {citations.map((citation, index) => (
          <li key={`${citation.document_id}-${index}`} id={`cite-${index + 1}`} tabIndex={-1}>
            <div className="citation__head">
              <span className="citation__number" aria-hidden="true">
                [{index + 1}]
              </span>
              <a href={href("/documents", { focus: citation.document_id, page: citation.page })}>
                {citation.filename}
              </a>
              {citation.page !== null && <span className="muted">page {citation.page}</span>}
              {citation.heading && <span className="muted">§ {citation.heading}</span>}
              <span className="muted" title="Similarity to the question (higher is closer)">
                score {citation.score.toFixed(2)}
              </span>
            </div>
            <blockquote className="citation__snippet">{citation.snippet}</blockquote>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Turns "[2]" into a control that moves focus to citation 2, when there is one. */
function linkMarkers(text: string, count: number): ReactNode[] {
  return text.split(/(\[\d+\])/g).map((part, i) => {
    const n = /^\[(\d+)\]$/.exec(part)?.[1];
    const number = n === undefined ? NaN : Number(n);
    if (!(number >= 1 && number <= count)) return part;
    return (
      <button
        key={i}
        type="button"
        className="cite-ref"
        aria-label={`Source ${number}`}
        onClick={() => {
          const target = document.getElementById(`cite-${number}`);
          target?.focus();
          target?.scrollIntoView?.({ block: "nearest" });
        }}
      >
        [{number}]
      </button>
    );
  });
}
