import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

/** The API server (`src/server/main.ts`) during development; everything but the client lives there. */
const apiServer = "http://127.0.0.1:3000";
const serverPaths = ["/api", "/healthz", "/readyz", "/metrics", "/webhooks"];

export default defineConfig({
  // index.html sits at the repo root and loads src/client/main.tsx.
  root,
  plugins: [react()],
  build: {
    // Served by the Fastify server (config.clientDistDir).
    outDir: "dist/client",
    emptyOutDir: true,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      // One path for tRPC over HTTP and over WebSocket, as on the server.
      "/trpc": { target: apiServer, ws: true },
      ...Object.fromEntries(serverPaths.map((path) => [path, { target: apiServer }])),
    },
  },
  preview: { port: 4173 },
});
