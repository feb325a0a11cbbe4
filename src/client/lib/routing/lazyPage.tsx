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
  return "index" in where ? { index: true, lazy } : { path: where.path, lazy };
}

function guard(page: ReactNode, access: PageAccess | undefined): ReactNode {
  if (access === undefined) return page;
  return <RequireAccess permission={access === "signedIn" ? undefined : access}>{page}</RequireAccess>;
}
