import { exportPath } from "./datasetLinks";

/**
 * "Export CSV": a plain link, so the browser streams the server's CSV straight to disk
 * however large it is. The session cookie authenticates this safe GET on its own.
 */
export function ExportButton({ datasetId, name }: { datasetId: string; name: string }) {
  return (
    <a
      className="button-link"
      href={exportPath(datasetId)}
      download={`${name.replace(/[^\w.-]+/g, "_") || "dataset"}.csv`}
      data-testid="export-csv"
    >
      Export CSV
    </a>
  );
}
