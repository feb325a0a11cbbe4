import { useRouteError } from "react-router";

/**
 * Shown when rendering a page throws. It replaces the layout (which may be what failed),
 * so it needs nothing from the store or the API; a full reload starts clean.
 */
export function ErrorPage() {
  const error = useRouteError();
  // The details help a developer in the console; the user gets a way out.
  console.error(error);
  return (
    <main id="main" className="error-page">
      <title>Something went wrong · Gantry</title>
      <h1>Something went wrong</h1>
      <p>This page failed to load. Reloading usually helps.</p>
      <p>
        <a href="/">Reload Gantry</a>
      </p>
    </main>
  );
}
