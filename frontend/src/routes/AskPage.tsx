/** Ask a question of your own documents. */
import { type FormEvent, useState } from "react";

import { api, call } from "../api/client";
import { handleError } from "../api/errors";
import type { QueryResponse } from "../api/types";
import { Answer } from "../features/ask/Answer";
import { Notice } from "../features/ui/Notice";

export const DEFAULT_TOP_K = 5;
export const MAX_TOP_K = 50;
const MAX_QUESTION_CHARS = 2000;

export function AskPage() {
  const [question, setQuestion] = useState("");
  const [topK, setTopK] = useState(DEFAULT_TOP_K);
  const [response, setResponse] = useState<QueryResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const text = question.trim();
    if (!text) return;
    setAsking(true);
    setError(null);
    try {
      const body = { question: text, top_k: topK, mode: "hybrid" as const };
      setResponse(await call(api.POST("/api/v1/query", { body })));
    } catch (cause) {
      setResponse(null);
      setError(handleError(cause));
    } finally {
      setAsking(false);
    }
  }

  return (
    <>
      <h1>Ask</h1>
      <form className="ask-form" onSubmit={(e) => void onSubmit(e)}>
        <label htmlFor="question">Question</label>
        <textarea
          id="question"
          rows={3}
          required
          maxLength={MAX_QUESTION_CHARS}
          value={question}
          placeholder="What does the contract say about termination?"
          onChange={(e) => setQuestion(e.target.value)}
          onKeyDown={(e) => {
            // Enter asks; Shift+Enter adds a line.
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
        />
        <div className="ask-form__row">
          <label>
            Sources
            <input
              type="number"
              min={1}
              max={MAX_TOP_K}
              value={topK}
              onChange={(e) =>
                setTopK(Math.min(MAX_TOP_K, Math.max(1, Number(e.target.value) || DEFAULT_TOP_K)))
              }
            />
          </label>
          <button type="submit" className="button--primary" disabled={asking || !question.trim()}>
            {asking ? "Searching…" : "Ask"}
          </button>
        </div>
      </form>
      <div aria-live="polite" aria-busy={asking}>
        {error && <Notice kind="error">{error}</Notice>}
        {asking && <p className="muted">Searching your documents…</p>}
        {!asking && response && <Answer response={response} />}
        {!asking && !response && !error && (
          <p className="empty">Answers come only from your own documents, with their sources.</p>
        )}
      </div>
    </>
  );
}
