import { Link } from "react-router";
import { useAuth } from "../../lib/session/useAuth";
import { RunsTable } from "./RunsTable";

/** Every run the viewer can see, live; a pipeline's own page shows just its runs. */
export function RunsPage() {
  const { can } = useAuth();
  return (
    <>
      <title>Runs · Gantry</title>
      <p className="back-link">
        <Link to="/pipelines">← Pipelines</Link>
      </p>
      <h1>{can("pipelines:read:any") ? "All runs" : "Your runs"}</h1>
      <RunsTable />
    </>
  );
}
