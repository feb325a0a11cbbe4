import type { DependencyStatus } from "../../../shared/schemas/system";

export function DependencyTable({ dependencies }: { dependencies: DependencyStatus[] }) {
  return (
    <table className="dependencies">
      <caption>Dependencies</caption>
      <thead>
        <tr>
          <th scope="col">Service</th>
          <th scope="col">Adapter</th>
          <th scope="col">Status</th>
          <th scope="col">Latency</th>
        </tr>
      </thead>
      <tbody>
        {dependencies.map((dependency) => (
          <tr key={dependency.name} data-testid="dependency" data-name={dependency.name}>
            <th scope="row">{dependency.name}</th>
            <td>{dependency.adapter}</td>
            <td>
              {/* The word, not only the colour, carries the state. */}
              <span className={`badge badge-${dependency.status}`} data-testid="dependency-status">
                {dependency.status}
              </span>
              {dependency.detail ? <span className="muted"> {dependency.detail}</span> : null}
            </td>
            <td>{dependency.latencyMs === null ? "—" : `${dependency.latencyMs} ms`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
