import type { CellValue, DatasetColumn, DatasetRow } from "../../../shared/schemas/pipelines";
import { isNumericType } from "../../lib/localeNumbers";

export interface ChartPoint {
  label: string;
  value: number;
}

/** More bars than this stop being readable; the chart says how many it left out. */
export const MAX_CHART_POINTS = 50;

export interface ChartSeries {
  points: ChartPoint[];
  /** Distinct labels beyond MAX_CHART_POINTS, not drawn. */
  omitted: number;
  /** Rows whose value was empty (or not a number), not drawn. */
  skipped: number;
}

/** The columns a chart can measure: numbers. Any column can label the points. */
export function measurableColumns(columns: readonly DatasetColumn[]): DatasetColumn[] {
  return columns.filter((column) => isNumericType(column.type));
}

function labelOf(value: CellValue): string {
  return value === null ? "(empty)" : String(value);
}

function numberOf(value: CellValue): number | null {
  if (value === null || typeof value === "boolean") return null;
  const number = typeof value === "number" ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}

/**
 * Points of `value` by `label`, in the order labels first appear. Rows that share a label add
 * up (a bar per category, as "sum by" reads), so an un-aggregated output still charts sensibly.
 */
export function chartSeries(rows: readonly DatasetRow[], label: string, value: string): ChartSeries {
  const sums = new Map<string, number>();
  let skipped = 0;
  for (const row of rows) {
    const number = numberOf(row.values[value] ?? null);
    if (number === null) {
      skipped++;
      continue;
    }
    const key = labelOf(row.values[label] ?? null);
    sums.set(key, (sums.get(key) ?? 0) + number);
  }
  const all = [...sums].map(([key, sum]) => ({ label: key, value: sum }));
  return {
    points: all.slice(0, MAX_CHART_POINTS),
    omitted: Math.max(0, all.length - MAX_CHART_POINTS),
    skipped,
  };
}
