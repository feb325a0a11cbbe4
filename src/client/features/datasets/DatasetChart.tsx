import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDecimal } from "../../lib/localeNumbers";
import type { ChartPoint } from "./chartData";

export type ChartKind = "bar" | "line";

interface DatasetChartProps {
  points: ChartPoint[];
  kind: ChartKind;
  /** The measured column's name, for the tooltip. */
  valueName: string;
}

const formatValue = (value: unknown) => (typeof value === "number" ? formatDecimal(value) : String(value));

/**
 * The chart itself: recharts, in its own chunk (ChartPanel imports this lazily), so the charting
 * library is downloaded only by someone who opens a chart (decision 0024).
 */
export default function DatasetChart({ points, kind, valueName }: DatasetChartProps) {
  const axes = (
    <>
      <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
      <XAxis dataKey="label" stroke="var(--muted)" tick={{ fontSize: 12 }} />
      <YAxis stroke="var(--muted)" tick={{ fontSize: 12 }} tickFormatter={formatValue} width={72} />
      <Tooltip formatter={(value) => [formatValue(value), valueName]} />
    </>
  );
  return (
    <ResponsiveContainer width="100%" height={320}>
      {kind === "bar" ? (
        <BarChart data={points}>
          {axes}
          <Bar dataKey="value" name={valueName} fill="var(--accent)" isAnimationActive={false} />
        </BarChart>
      ) : (
        <LineChart data={points}>
          {axes}
          <Line dataKey="value" name={valueName} stroke="var(--accent)" dot={false} isAnimationActive={false} />
        </LineChart>
      )}
    </ResponsiveContainer>
  );
}
