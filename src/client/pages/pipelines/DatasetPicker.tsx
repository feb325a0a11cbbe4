import type { FieldErrors } from "../../app/apiError";
import { SelectField } from "../../components/form/SelectField";
import { useApiQuery } from "../../hooks/useApi";
import { useDraft, useDraftStore } from "./draftContext";

/** Enough for a picker; more data sets than this are better found by name on the data sets page. */
const PICKER_SIZE = 100;

/** The pipeline's input: a data set that has finished importing. */
export function DatasetPicker({ errors }: { errors: FieldErrors }) {
  const store = useDraftStore();
  const datasetId = useDraft((state) => state.datasetId);
  const datasets = useApiQuery((api) =>
    api.pipelines.datasets.list.queryOptions({
      page: 1,
      pageSize: PICKER_SIZE,
      sort: { field: "name", direction: "asc" },
      filter: [{ field: "status", op: "eq", value: "ready" }],
    }),
  );
  const items = datasets.data?.items ?? [];
  const options = [
    ...(datasetId ? [] : [{ value: "", label: datasets.isPending ? "Loading data sets…" : "Choose a data set" }]),
    // The chosen one may be beyond the first page, or not ready: keep it visible rather than silently change it.
    ...(datasetId && !items.some((dataset) => dataset.id === datasetId)
      ? [{ value: datasetId, label: "The chosen data set" }]
      : []),
    ...items.map((dataset) => ({
      value: dataset.id,
      label: `${dataset.name} (${dataset.rowCount?.toLocaleString() ?? "?"} rows)`,
    })),
  ];
  return (
    <SelectField
      label="Data set"
      name="datasetId"
      value={datasetId}
      options={options}
      errors={errors.datasetId}
      hint={items.length === 0 && !datasets.isPending ? "No data set is ready yet: upload one first." : undefined}
      onChange={(event) => store.getState().setDataset(event.target.value)}
    />
  );
}
