import { LivePanel } from "../components/LivePanel";
import { StatusPanel } from "../components/StatusPanel";

export function StatusPage() {
  return (
    <>
      <title>Status · Gantry</title>
      <h1>Status</h1>
      <div className="panels">
        <StatusPanel />
        <LivePanel />
      </div>
    </>
  );
}
