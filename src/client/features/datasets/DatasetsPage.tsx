import { Link } from "react-router";
import { useAuth } from "../../lib/session/useAuth";
import { DatasetsTable } from "./DatasetsTable";
import { StorageUsageLine } from "./StorageUsageLine";
import { UploadForm } from "./UploadForm";

export function DatasetsPage() {
  const { can } = useAuth();
  const writer = can("datasets:write");
  const everyone = can("datasets:read:any");
  return (
    <>
      <title>Data sets · Gantry</title>
      <h1>Data sets</h1>
      <div className="page-stack">
        {writer ? (
          <section className="panel upload-panel" aria-labelledby="upload-heading">
            <h2 id="upload-heading">Upload a data set</h2>
            <StorageUsageLine />
            <UploadForm />
          </section>
        ) : (
          <p className="muted-line">
            You can browse data sets and pipeline results; changing them needs a full account.{" "}
            <Link to="/pipelines">See the pipelines</Link>
          </p>
        )}
        <section aria-labelledby="datasets-list-heading">
          <h2 id="datasets-list-heading">{everyone ? "All data sets" : "Your data sets"}</h2>
          <DatasetsTable withActions={writer} />
        </section>
      </div>
    </>
  );
}
