/** The console's charts (recharts), sized by CSS: full width, fixed height. */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

/** Colours that read on light and dark backgrounds, one per series. */
export const SERIES_COLOURS = ["#1f5fbf", "#1a7f37", "#b35c00", "#8a3ffc", "#b42318", "#00798c"];

const CHART_STYLE = { width: "100%", height: 240 } as const;

export interface Series {
  key: string;
  label: string;
}

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/** Lines over time: `data[i].at` is a time in ms; one line per series (a gap where null). */
export function TimeLines({
  data,
  series,
  unit,
  label,
}: {
  data: readonly Record<string, number | null>[];
  series: readonly Series[];
  unit: string;
  label: string;
}) {
  return (
    <figure className="chart" aria-label={label}>
      <LineChart responsive style={CHART_STYLE} data={[...data]} margin={{ right: 8, left: -8 }}>
        <CartesianGrid strokeDasharray="3 3" opacity={0.4} />
        <XAxis
          dataKey="at"
          type="number"
          scale="time"
          domain={["dataMin", "dataMax"]}
          tickFormatter={(at: number) => clock.format(at)}
          minTickGap={24}
        />
        <YAxis unit={unit} width={64} allowDecimals={false} />
        <Tooltip labelFormatter={(at) => clock.format(Number(at))} />
        <Legend />
        {series.map((s, i) => (
          <Line
            key={s.key}
            dataKey={s.key}
            name={s.label}
            stroke={SERIES_COLOURS[i % SERIES_COLOURS.length]}
            dot={false}
            isAnimationActive={false}
            connectNulls={false}
          />
        ))}
      </LineChart>
      <figcaption className="visually-hidden">{label}</figcaption>
    </figure>
  );
}

/** Bars by category (`data[i][category]`), one bar per series. */
export function Bars({
  data,
  category,
  series,
  label,
  unit,
  stacked = false,
}: {
  data: readonly object[];
  category: string;
  series: readonly Series[];
  label: string;
  unit?: string;
  stacked?: boolean;
}) {
  return (
    <figure className="chart" aria-label={label}>
      <BarChart responsive style={CHART_STYLE} data={[...data]} margin={{ right: 8, left: -8 }}>
        <CartesianGrid strokeDasharray="3 3" opacity={0.4} />
        <XAxis dataKey={category} minTickGap={8} />
        <YAxis unit={unit} width={64} allowDecimals={false} />
        <Tooltip />
        <Legend />
        {series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            fill={SERIES_COLOURS[i % SERIES_COLOURS.length]}
            stackId={stacked ? "all" : undefined}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
      <figcaption className="visually-hidden">{label}</figcaption>
    </figure>
  );
}
