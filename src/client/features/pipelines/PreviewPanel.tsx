import type { PreviewResult } from "../../../shared/schemas/pipelines";
import { cellText } from "../datasets";
import type { usePreview } from "./usePreview";
import { PREVIEW_ROWS } from "./usePreview";

/**
 * The first rows of the output, following the draft as it is edited. When a step does not
 * fit, the step itself shows why; here the last good preview stays, marked out of date.
 */
interface PreviewPanelProps {
  state: ReturnType<typeof usePreview>;
  /** What went wrong that no step shows (a data set still importing); null when the steps say it all. */
  problem: string | null;
}

export function PreviewPanel({ state, problem }: PreviewPanelProps) {
  const { preview, waiting, enabled } = state;
  const result = preview.data;
  const failed = preview.error !== null;
  const updating = waiting || preview.isFetching;
  return (
    <section className="panel preview-panel" aria-labelledby="preview-heading" data-testid="preview">
      <div className="panel-head">
        <h2 id="preview-heading">Preview</h2>
        <span className="muted-line" aria-live="polite" data-testid="preview-state">
          {!enabled
            ? "Choose a data set to see its output."
            : updating
              ? "Updating…"
              : failed
                ? result
                  ? "Out of date: see the marked step."
                  : "No preview until the marked step is fixed."
                : result
                  ? `First ${Math.min(result.rows.length, PREVIEW_ROWS)} rows · ${result.elapsedMs} ms`
                  : ""}
        </span>
      </div>
      {problem ? (
        <p role="alert" className="inline-error" data-testid="preview-error">
          {problem}
        </p>
      ) : null}
      {result ? <PreviewTable result={result} stale={failed || updating} /> : null}
    </section>
  );
}

function PreviewTable({ result, stale }: { result: PreviewResult; stale: boolean }) {
  if (result.columns.length === 0) return <p className="muted-line">The output has no columns.</p>;
  return (
    <div className="table-scroll">
      <table className="list-table" data-stale={stale} data-testid="preview-table">
        <caption className="visually-hidden">Preview of the output</caption>
        <thead>
          <tr>
            {result.columns.map((column) => (
              <th key={column.name} scope="col">
                <span className="column-head">
                  {column.name} <span className="column-type">{column.type}</span>
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {result.rows.length === 0 ? (
            <tr>
              <td colSpan={result.columns.length} className="table-note">
                No rows come out of these steps.
              </td>
            </tr>
          ) : (
            result.rows.map((row) => (
              <tr key={row.id} data-testid="preview-row">
                {result.columns.map((column) => (
                  <td key={column.name}>{cellText(row.values[column.name] ?? null)}</td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
