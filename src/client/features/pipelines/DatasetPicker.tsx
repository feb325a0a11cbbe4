import type { FieldErrors } from "../../lib/api/apiError";
import { SelectField } from "../../ui/form/SelectField";
import { useDraft, useDraftStore } from "./draftContext";
import { useReadyDatasets } from "./useReadyDatasets";

/** The pipeline's input: a data set that has finished importing. */
export function DatasetPicker({ errors }: { errors: FieldErrors }) {
  const store = useDraftStore();
  const datasetId = useDraft((state) => state.datasetId);
  const datasets = useReadyDatasets();
  const { items } = datasets;
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
