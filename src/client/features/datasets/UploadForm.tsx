import { type FormEvent, useId, useState } from "react";
import { Link } from "react-router";
import { TextField } from "../../ui/form/TextField";
import { ProgressBar } from "../../ui/ProgressBar";
import { datasetPath } from "./datasetLinks";
import { defaultDatasetName } from "./uploadRequest";
import { uploadPercent, uploadStatusText } from "./uploadState";
import { useUpload } from "./useUpload";

const ACCEPT = ".csv,.jsonl,.ndjson,text/csv,application/x-ndjson";

/**
 * Uploads a CSV or JSON Lines file as a new data set. The bar follows the bytes going up,
 * then the import on the server; a failed import says why (and on which line).
 */
export function UploadForm() {
  const fileId = useId();
  const { state, start, cancel, reset } = useUpload();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [problems, setProblems] = useState<{ file?: string; name?: string }>({});
  const busy = state.phase === "sending" || state.phase === "importing";

  const chooseFile = (chosen: File | null) => {
    setFile(chosen);
    // The file's name is the likely name of the data set; a name already typed stays.
    if (chosen && !name.trim()) setName(defaultDatasetName(chosen.name));
    setProblems({});
    if (!busy) reset();
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const found = {
      ...(file ? {} : { file: "Choose a CSV or JSON Lines file." }),
      ...(name.trim() ? {} : { name: "Name the data set." }),
    };
    setProblems(found);
    if (file && name.trim()) start(file, { name, skipInvalid });
  };

  return (
    <form className="form" noValidate onSubmit={submit} aria-label="Upload a data set" data-testid="upload-form">
      <div className="field">
        <label htmlFor={fileId}>File</label>
        <input
          id={fileId}
          type="file"
          name="file"
          accept={ACCEPT}
          aria-invalid={problems.file ? true : undefined}
          aria-describedby={`${fileId}-hint${problems.file ? ` ${fileId}-errors` : ""}`}
          onChange={(event) => chooseFile(event.target.files?.[0] ?? null)}
        />
        <p id={`${fileId}-hint`} className="field-hint">
          CSV with a header row, or JSON Lines (one object per line). Column types are read from the data.
        </p>
        {problems.file ? (
          <ul id={`${fileId}-errors`} className="field-errors" data-testid="file-errors">
            <li>{problems.file}</li>
          </ul>
        ) : null}
      </div>
      <TextField
        label="Name"
        name="name"
        autoComplete="off"
        maxLength={200}
        value={name}
        onChange={(event) => setName(event.target.value)}
        errors={problems.name ? [problems.name] : undefined}
      />
      <label className="checkbox">
        <input type="checkbox" checked={skipInvalid} onChange={(event) => setSkipInvalid(event.target.checked)} />
        Skip invalid rows (keep the good rows and report the bad ones, instead of importing nothing)
      </label>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="upload-submit">
          {busy ? "Uploading…" : "Upload"}
        </button>
        {state.phase === "sending" ? (
          <button type="button" onClick={cancel}>
            Cancel upload
          </button>
        ) : null}
      </div>
      {state.phase !== "idle" ? <UploadOutcome state={state} /> : null}
    </form>
  );
}

function UploadOutcome({ state }: { state: ReturnType<typeof useUpload>["state"] }) {
  if (state.phase === "failed") {
    return (
      <div role="alert" className="error-message" data-testid="upload-error">
        <strong>The data set was not imported</strong>
        <p>{state.message}</p>
      </div>
    );
  }
  return (
    <div className="upload-outcome">
      <ProgressBar
        label={state.phase === "sending" ? "Upload progress" : "Import progress"}
        percent={uploadPercent(state)}
        text={uploadStatusText(state)}
        phase={state.phase}
        testId="upload-progress"
      />
      {state.phase === "done" ? (
        <p>
          <Link to={datasetPath(state.datasetId)} data-testid="uploaded-dataset-link">
            Open the data set
          </Link>
        </p>
      ) : null}
    </div>
  );
}
