import { keepPreviousData } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import type { DatasetView } from "../../../shared/schemas/pipelines";
import { useApiQuery } from "../../lib/api/useApi";
import { DataTable } from "../../ui/table/DataTable";
import { useListState } from "../../ui/table/useListState";
import { datasetRowColumns } from "./datasetRowColumns";
import { initialFilterColumns, MAX_FILTERS, rowsInput, rowsSpec } from "./rowsQuery";

const rowProps = () => ({ "data-testid": "dataset-row" });

/**
 * The rows of a ready data set on the shared table: the database pages, sorts and filters
 * (data sets may hold millions of rows), and the state lives in the URL. The table state is
 * built from the data set's own columns.
 */
export function DatasetRowsTable({ dataset }: { dataset: Pick<DatasetView, "id" | "columns" | "rowCount"> }) {
  const { columns } = dataset;
  const [params] = useSearchParams();
  const [filterOn, setFilterOn] = useState(() => initialFilterColumns(columns, params));
  // Stable per data set and filter choice, as useListState needs.
  const spec = useMemo(() => rowsSpec(columns, filterOn), [columns, filterOn]);
  const tableColumns = useMemo(() => datasetRowColumns(columns), [columns]);
  const list = useListState(spec);
  const input = useMemo(
    () => rowsInput(dataset.id, columns, spec, list.state),
    [dataset.id, columns, spec, list.state],
  );
  const rows = useApiQuery((api) =>
    api.pipelines.datasets.rows.queryOptions(input, { placeholderData: keepPreviousData }),
  );

  return (
    <div className="dataset-rows">
      <p className="field-hint">
        Text filters match anywhere in the value (or exactly, after <code>=</code>). For numbers and dates, type a
        comparison first: <code>&gt; 10</code>, <code>&lt;= 2024-06-30</code>, <code>!= 0</code>.
      </p>
      {filterOn.length < Math.min(MAX_FILTERS, columns.length) ? (
        <AddFilter
          options={columns.flatMap((column, index) =>
            filterOn.includes(index) ? [] : [{ value: String(index), label: column.name }],
          )}
          onAdd={(index) => setFilterOn((current) => [...current, index])}
        />
      ) : null}
      <DataTable
        caption="Rows"
        columns={tableColumns}
        spec={spec}
        list={list}
        result={rows}
        getRowId={(row) => row.id}
        noun={["row", "rows"]}
        emptyMessage={input.filter.length > 0 ? "No rows match these filters." : "This data set has no rows."}
        rowProps={rowProps}
      />
    </div>
  );
}

/** Wide data sets start with a few filters; this offers one for any other column. */
function AddFilter({
  options,
  onAdd,
}: {
  options: Array<{ value: string; label: string }>;
  onAdd(index: number): void;
}) {
  const id = useId();
  const [choice, setChoice] = useState("");
  const chosen = options.find((option) => option.value === choice) ?? options[0];
  return (
    <div className="field field-inline add-filter">
      <label htmlFor={id}>Filter by another column</label>
      <select id={id} value={chosen?.value ?? ""} onChange={(event) => setChoice(event.target.value)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <button type="button" disabled={!chosen} onClick={() => chosen && onAdd(Number(chosen.value))}>
        Add filter
      </button>
    </div>
  );
}
