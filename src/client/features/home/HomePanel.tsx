import type { ReactNode } from "react";
import { Link } from "react-router";
import type { ApiError } from "../../lib/api/apiError";
import { ErrorMessage } from "../../ui/ErrorMessage";

interface HomePanelProps {
  id: string;
  title: string;
  all: { to: string; label: string };
  query: { isPending: boolean; error: ApiError | null; data?: { total: number } | undefined };
  empty: string;
  children: ReactNode;
}

/** One section of the home page: a heading, the newest few items, and a link to the whole list. */
export function HomePanel({ id, title, all, query, empty, children }: HomePanelProps) {
  return (
    <section className="panel home-panel" aria-labelledby={`${id}-heading`} data-testid={id}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {query.error ? (
        <ErrorMessage error={query.error} title={`Could not load ${title.toLowerCase()}`} />
      ) : query.isPending ? (
        <p aria-busy="true" className="muted">
          Loading…
        </p>
      ) : query.data?.total === 0 ? (
        <p className="muted" data-testid={`${id}-empty`}>
          {empty}
        </p>
      ) : (
        <ul className="home-list">{children}</ul>
      )}
      <p className="home-all">
        <Link to={all.to}>{all.label}</Link>
      </p>
    </section>
  );
}
