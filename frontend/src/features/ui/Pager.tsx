/** Previous / next paging for `{data, count}` lists. */
interface Props {
  offset: number;
  limit: number;
  count: number;
  shown: number;
  onPage(offset: number): void;
}

export function Pager({ offset, limit, count, shown, onPage }: Props) {
  if (count <= limit && offset === 0) return null;
  const first = count === 0 ? 0 : offset + 1;
  const last = offset + shown;
  return (
    <nav className="pager" aria-label="Pages">
      <button
        type="button"
        onClick={() => onPage(Math.max(0, offset - limit))}
        disabled={offset === 0}
      >
        Previous
      </button>
      <span>
        {first}–{last} of {count}
      </span>
      <button
        type="button"
        onClick={() => onPage(offset + limit)}
        disabled={offset + limit >= count}
      >
        Next
      </button>
    </nav>
  );
}
