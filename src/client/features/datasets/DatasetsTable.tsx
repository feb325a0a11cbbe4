import { keepPreviousData } from "@tanstack/react-query";
import type { DatasetView, datasetListFields } from "../../../shared/schemas/pipelines";
import { useApiQuery } from "../../lib/api/useApi";
import { DataTable } from "../../ui/table/DataTable";
import type { ListSpec } from "../../ui/table/listParams";
import { useListState } from "../../ui/table/useListState";
import { datasetStatusOptions } from "./DatasetStatusBadge";
import { datasetColumns, datasetColumnsWithActions, sourceLabels } from "./datasetsColumns";

type DatasetListField = (typeof datasetListFields)[number];

const datasetsSpec: ListSpec<DatasetListField> = {
  sortable: ["name", "status", "source", "rowCount", "createdAt"],
  defaultSort: { field: "createdAt", direction: "desc" },
  filters: [
    { field: "name", op: "contains", label: "Name contains" },
    { field: "status", op: "eq", label: "Status", options: datasetStatusOptions },
    {
      field: "source",
      op: "eq",
      label: "Source",
      options: (Object.keys(sourceLabels) as DatasetView["source"][]).map((value) => ({
        value,
        label: sourceLabels[value],
      })),
    },
  ],
};

/** While a data set on the page imports, ask again this often (its own page follows it live). */
const IMPORTING_REFRESH_MS = 2_000;

const rowProps = (dataset: DatasetView) => ({ "data-testid": "dataset-row", "data-status": dataset.status });

export function DatasetsTable({ withActions }: { withActions: boolean }) {
  const list = useListState(datasetsSpec);
  const datasets = useApiQuery((api) =>
    api.pipelines.datasets.list.queryOptions(list.query, {
      placeholderData: keepPreviousData,
      refetchInterval: (query) =>
        query.state.data?.items.some((dataset) => dataset.status === "importing") ? IMPORTING_REFRESH_MS : false,
    }),
  );
  return (
    <DataTable
      caption="Data sets"
      columns={withActions ? datasetColumnsWithActions : datasetColumns}
      spec={datasetsSpec}
      list={list}
      result={datasets}
      getRowId={(dataset) => dataset.id}
      noun={["data set", "data sets"]}
      emptyMessage={list.query.filter.length > 0 ? "No data sets match these filters." : "No data sets yet."}
      rowProps={rowProps}
    />
  );
}
