import { percent } from "./format";

interface Props {
  /** 0..1 */
  value: number;
  label: string;
  /** Spoken instead of the bare percentage, e.g. "embedding, 40 of 120 chunks". */
  text?: string;
  tone?: "default" | "done" | "error";
}

export function ProgressBar({ value, label, text, tone = "default" }: Props) {
  const clamped = Math.max(0, Math.min(1, Number.isFinite(value) ? value : 0));
  const now = Math.round(clamped * 100);
  return (
    <div
      className={`progress progress--${tone}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={now}
      aria-valuetext={text ?? percent(clamped)}
    >
      <div className="progress__fill" style={{ width: `${now}%` }} />
    </div>
  );
}
