/**
 * Import direction, checked in `npm test` (see docs/decisions/0004-import-direction.md):
 * data flows one way through the layers of DESIGN.md.
 */
module.exports = {
  forbidden: [
    {
      name: "client-no-server-runtime",
      comment: "The client imports the server only as `import type { AppRouter }`.",
      severity: "error",
      from: { path: "^src/client" },
      to: { path: "^src/server", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "shared-is-shared",
      comment: "src/shared runs in the browser and in Node: it imports nothing of server or client.",
      severity: "error",
      from: { path: "^src/shared" },
      to: { path: "^src/(server|client)" },
    },
    {
      name: "routers-no-data-access",
      comment: "A router validates and checks permission, then calls a service; it never touches Drizzle.",
      severity: "error",
      from: { path: "^src/server/api" },
      to: { path: ["^src/server/db", "^src/server/repositories", "^node_modules/drizzle-orm"] },
    },
    {
      name: "repositories-no-events",
      comment: "A repository runs queries and nothing else; services publish events.",
      severity: "error",
      from: { path: "^src/server/repositories" },
      to: { path: ["^src/server/core/events", "^src/server/services"] },
    },
    {
      name: "services-not-transport-aware",
      comment: "A service never knows it was called over HTTP.",
      severity: "error",
      // Tests may drive a service through the tRPC caller; the rule is about production code.
      from: { path: "^src/server/services", pathNot: "\\.(test|int\\.test|contract)\\.ts$" },
      to: { path: ["^src/server/api", "^src/server/trpc", "^src/server/http", "^node_modules/(fastify|@trpc)"] },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true, dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.server.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
