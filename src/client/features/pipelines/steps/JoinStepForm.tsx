import { fieldHasError } from "../stepErrors";
import { useReadyDatasets } from "../useReadyDatasets";
import { Choice, ColumnSelect, TextInput } from "./controls";
import type { StepFormProps, StepOf } from "./stepFormProps";

type JoinStep = StepOf<"join">;

const KIND_LABELS: Record<JoinStep["kind"], string> = {
  inner: "only rows with a match (inner)",
  left: "every row, empty where none matches (left)",
};
const KINDS = (Object.keys(KIND_LABELS) as Array<JoinStep["kind"]>).map((kind) => ({
  value: kind,
  label: KIND_LABELS[kind],
}));

/** The server takes at most ten pairs. */
const MAX_PAIRS = 10;

/**
 * The other data set, how to match its rows (pairs of equal columns), and how to name its
 * columns where they would clash with these: a prefix for all, or a new name for some.
 */
export function JoinStepForm({ step, scope, errors, onChange }: StepFormProps<JoinStep>) {
  const datasets = useReadyDatasets();
  const other = datasets.context.datasetColumns(step.datasetId) ?? [];
  const datasetOptions = [
    ...(step.datasetId ? [] : [{ value: "", label: datasets.isPending ? "Loading data sets…" : "Choose a data set" }]),
    ...(step.datasetId && !datasets.items.some((d) => d.id === step.datasetId)
      ? [{ value: step.datasetId, label: "The chosen data set" }]
      : []),
    ...datasets.items.map((d) => ({ value: d.id, label: d.name })),
  ];
  const set = (patch: Partial<JoinStep>) => onChange({ ...step, ...patch });
  const setPair = (index: number, pair: JoinStep["on"][number]) =>
    set({ on: step.on.map((current, i) => (i === index ? pair : current)) });
  const setRename = (index: number, rename: JoinStep["rename"][number]) =>
    set({ rename: step.rename.map((current, i) => (i === index ? rename : current)) });

  return (
    <div className="step-rows">
      <div className="step-fields">
        <Choice
          label="Data set to join"
          value={step.datasetId}
          options={datasetOptions}
          invalid={fieldHasError(errors, "datasetId")}
          onChange={(datasetId) => set({ datasetId, on: step.on.map((pair) => ({ ...pair, right: "" })), rename: [] })}
        />
        <Choice label="Keep" value={step.kind} options={KINDS} onChange={(kind) => set({ kind })} />
      </div>
      {step.on.map((pair, index) => (
        // Pairs have no identity beyond their position; the list only grows at the end or loses an entry.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <fieldset className="step-fields" key={index}>
          <legend className="visually-hidden">Join columns {index + 1}</legend>
          <ColumnSelect
            label={index === 0 ? "Where this column" : "And this column"}
            value={pair.left}
            scope={scope}
            invalid={fieldHasError(errors, `on.${index}.left`) || errors?.on !== undefined}
            onChange={(left) => setPair(index, { ...pair, left: left ?? "" })}
          />
          <ColumnSelect
            label="equals its column"
            value={pair.right}
            scope={other}
            invalid={fieldHasError(errors, `on.${index}.right`)}
            onChange={(right) => setPair(index, { ...pair, right: right ?? "" })}
          />
          {step.on.length > 1 ? (
            <button
              type="button"
              className="row-remove"
              aria-label={`Remove join columns ${index + 1}`}
              onClick={() => set({ on: step.on.filter((_, i) => i !== index) })}
            >
              Remove
            </button>
          ) : null}
        </fieldset>
      ))}
      {step.on.length < MAX_PAIRS ? (
        <button type="button" onClick={() => set({ on: [...step.on, { left: "", right: "" }] })}>
          Add a pair of columns
        </button>
      ) : null}
      <TextInput
        label="Prefix for its columns"
        value={step.prefix}
        invalid={fieldHasError(errors, "prefix")}
        hint="Put before the name of each column it adds, e.g. customer_ (its join columns are left out)."
        onChange={(prefix) => set({ prefix })}
      />
      {step.rename.map((rename, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: positions, as for the pairs above
        <fieldset className="step-fields" key={index}>
          <legend className="visually-hidden">Renamed column {index + 1}</legend>
          <ColumnSelect
            label="Its column"
            value={rename.from}
            scope={other}
            invalid={fieldHasError(errors, `rename.${index}.from`)}
            onChange={(from) => setRename(index, { ...rename, from: from ?? "" })}
          />
          <TextInput
            label="becomes"
            value={rename.to}
            invalid={fieldHasError(errors, `rename.${index}.to`)}
            onChange={(to) => setRename(index, { ...rename, to })}
          />
          <button
            type="button"
            className="row-remove"
            aria-label={`Remove renamed column ${index + 1}`}
            onClick={() => set({ rename: step.rename.filter((_, i) => i !== index) })}
          >
            Remove
          </button>
        </fieldset>
      ))}
      <button type="button" onClick={() => set({ rename: [...step.rename, { from: "", to: "" }] })}>
        Rename one of its columns
      </button>
    </div>
  );
}
