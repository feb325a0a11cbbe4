import { LivePanel } from "./LivePanel";
import { StatusPanel } from "./StatusPanel";

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
