import type { ComponentType, ReactNode } from "react";
import type { RouteObject } from "react-router";
import type { Permission } from "../../../shared/permissions";
import { RequireAccess } from "./RequireAccess";

/** Who may open a page: everyone (omitted), any signed-in user, or a role with a permission. */
export type PageAccess = "signedIn" | Permission;

/**
 * A route whose page is loaded only when someone opens it (React Router's `lazy`): the first
 * download carries the app's frame, not every page's code (decision 0012). Every page of the
 * route table is declared this way.
 */
export function lazyPage(
  where: { path: string } | { index: true },
  load: () => Promise<ComponentType>,
  access?: PageAccess,
): RouteObject {
  const lazy = async () => {
    const Page = await load();
    return { element: guard(<Page />, access) };
  };
  // Shown inside the layout while a deep link's page loads on first paint (without one, React
  // Router renders nothing there and warns about a missing HydrateFallback).
  const hydrateFallbackElement = <PageLoading />;
  return "index" in where
    ? { index: true, lazy, hydrateFallbackElement }
    : { path: where.path, lazy, hydrateFallbackElement };
}

function PageLoading() {
  return (
    <p aria-busy="true" className="muted">
      Loading…
    </p>
  );
}

function guard(page: ReactNode, access: PageAccess | undefined): ReactNode {
  if (access === undefined) return page;
  return <RequireAccess permission={access === "signedIn" ? undefined : access}>{page}</RequireAccess>;
}
