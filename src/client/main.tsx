import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router/dom";
import { Providers } from "./app/Providers";
import { createAppRouter } from "./app/router";
import { createQueryClient } from "./lib/api/queryClient";
import { createApiClients } from "./lib/api/trpc";
import { createSessionApi } from "./lib/session/sessionApi";
import { SessionController } from "./lib/session/sessionController";
import { createAppStore } from "./lib/store";
import type { ThemeStorage } from "./lib/store/theme";
import "./styles.css";

/** Reading `localStorage` itself throws where storage is blocked; the theme then lasts one visit. */
function browserStorage(): ThemeStorage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

const store = createAppStore({
  storage: browserStorage(),
  prefersDark: window.matchMedia("(prefers-color-scheme: dark)").matches,
  applyTheme: (theme) => {
    document.documentElement.dataset.theme = theme;
  },
});

// The controller is created below; an UNAUTHORIZED can only arrive after it exists.
const queryClient = createQueryClient({ onUnauthorized: () => session.handleUnauthorized() });
const clients = createApiClients(window.location);
const session = new SessionController({
  store,
  api: createSessionApi(clients),
  resetCache: () => void queryClient.resetQueries(),
});
void session.start();
const router = createAppRouter();

const rootElement = document.getElementById("root");
if (!rootElement) throw new Error('index.html must contain <div id="root">.');

createRoot(rootElement).render(
  <StrictMode>
    <Providers store={store} queryClient={queryClient} clients={clients} session={session}>
      <RouterProvider router={router} />
    </Providers>
  </StrictMode>,
);
