import { createBrowserRouter } from "react-router";
import { ErrorPage } from "../pages/ErrorPage";
import { NotFoundPage } from "../pages/NotFoundPage";
import { StatusPage } from "../pages/StatusPage";
import { Layout } from "./Layout";

/** Every page renders inside the layout; the server answers any page URL with index.html. */
export function createAppRouter() {
  return createBrowserRouter([
    {
      path: "/",
      element: <Layout />,
      errorElement: <ErrorPage />,
      children: [
        { index: true, element: <StatusPage /> },
        { path: "*", element: <NotFoundPage /> },
      ],
    },
  ]);
}
