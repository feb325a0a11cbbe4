import { lazy, Suspense, useId, useMemo, useState } from "react";
import type { DatasetView } from "../../../shared/schemas/pipelines";
import { MAX_ROWS_PAGE_SIZE } from "../../../shared/schemas/pipelines";
import { useApiQuery } from "../../lib/api/useApi";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { chartSeries, measurableColumns } from "./chartData";
import type { ChartKind } from "./DatasetChart";

// The charting library stays out of every other page's download.
const DatasetChart = lazy(() => import("./DatasetChart"));

/**
 * A chart of a data set: a bar or line of a numeric column by any column, over the first
 * MAX_ROWS_PAGE_SIZE rows in file order (a chart of more points is not readable anyway).
 */
export function ChartPanel({ dataset }: { dataset: DatasetView }) {
  const measures = measurableColumns(dataset.columns);
  const firstLabel = dataset.columns.find((column) => column.type === "text") ?? dataset.columns[0];
  const [label, setLabel] = useState(firstLabel?.name ?? "");
  const [value, setValue] = useState(measures.at(-1)?.name ?? "");
  const [kind, setKind] = useState<ChartKind>("bar");
  const ids = { label: useId(), value: useId(), kind: useId() };
  const rows = useApiQuery((api) =>
    api.pipelines.datasets.rows.queryOptions({
      datasetId: dataset.id,
      page: 1,
      pageSize: MAX_ROWS_PAGE_SIZE,
      filter: [],
    }),
  );
  const series = useMemo(() => chartSeries(rows.data?.items ?? [], label, value), [rows.data, label, value]);

  if (measures.length === 0) {
    return (
      <section className="panel" aria-labelledby={`${ids.kind}-heading`} data-testid="chart-panel">
        <h2 id={`${ids.kind}-heading`}>Chart</h2>
        <p className="muted-line">This data set has no number columns to chart.</p>
      </section>
    );
  }
  return (
    <section className="panel" aria-labelledby={`${ids.kind}-heading`} data-testid="chart-panel">
      <h2 id={`${ids.kind}-heading`}>Chart</h2>
      <div className="chart-controls">
        <div className="field-inline">
          <label htmlFor={ids.value}>Measure</label>
          <select id={ids.value} value={value} onChange={(event) => setValue(event.target.value)}>
            {measures.map((column) => (
              <option key={column.name}>{column.name}</option>
            ))}
          </select>
        </div>
        <div className="field-inline">
          <label htmlFor={ids.label}>By</label>
          <select id={ids.label} value={label} onChange={(event) => setLabel(event.target.value)}>
            {dataset.columns.map((column) => (
              <option key={column.name}>{column.name}</option>
            ))}
          </select>
        </div>
        <div className="field-inline">
          <label htmlFor={ids.kind}>Kind</label>
          <select
            id={ids.kind}
            value={kind}
            onChange={(event) => setKind(event.target.value === "line" ? "line" : "bar")}
          >
            <option value="bar">Bars</option>
            <option value="line">Line</option>
          </select>
        </div>
      </div>
      {rows.error ? <ErrorMessage error={rows.error} title="Could not read the rows to chart" /> : null}
      {rows.isPending ? <p aria-busy="true">Loading the rows…</p> : null}
      {rows.data && series.points.length === 0 ? (
        <p className="muted-line">No row has a value in “{value}” to chart.</p>
      ) : null}
      {series.points.length > 0 ? (
        <figure className="chart" data-testid="chart" data-points={series.points.length}>
          <Suspense fallback={<p aria-busy="true">Loading the chart…</p>}>
            <DatasetChart points={series.points} kind={kind} valueName={value} />
          </Suspense>
          <figcaption className="muted-line">
            {value} by {label}
            {kind === "bar" ? " (rows with the same value added up)" : ""}, first {rows.data?.items.length ?? 0} rows
            {series.omitted > 0 ? `; ${series.omitted} more values not drawn` : ""}
            {series.skipped > 0 ? `; ${series.skipped} empty values left out` : ""}.
          </figcaption>
        </figure>
      ) : null}
    </section>
  );
}
