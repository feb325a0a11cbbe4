/**
 * Import direction, checked in `npm test` (see docs/decisions/0004-import-direction.md and
 * 0016-layers-held-by-types.md): data flows one way through the layers of docs/architecture.md,
 * api -> services -> repositories -> db, with core (events, queue, cache) beside the services
 * and above db, and utils below everything.
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
      name: "client-shared-layer-no-features",
      comment:
        "src/client/ui (generic components) and src/client/lib (API client, session, routing) sit below every feature and the app shell: they import neither (decision 0018).",
      severity: "error",
      from: { path: "^src/client/(ui|lib)/" },
      to: { path: "^src/client/(features|app)/" },
    },
    {
      name: "client-lib-no-ui",
      comment: "lib is plumbing without markup of its own choosing; ui may use lib, lib never uses ui.",
      severity: "error",
      from: { path: "^src/client/lib/" },
      to: { path: "^src/client/ui/" },
    },
    {
      name: "client-features-no-app",
      comment:
        "The app shell (layout, route table, providers) puts the features together; a feature never reaches back into it.",
      severity: "error",
      from: { path: "^src/client/features/" },
      to: { path: "^src/client/app/" },
    },
    {
      name: "client-feature-internals-private",
      comment:
        "A feature uses another feature only through that feature's public index.ts; what two features truly share belongs in ui/ or lib/.",
      severity: "error",
      from: { path: "^src/client/features/([^/]+)/" },
      to: {
        path: "^src/client/features/",
        pathNot: ["^src/client/features/$1/", "^src/client/features/[^/]+/index\\.ts$"],
      },
    },
    {
      name: "client-app-uses-feature-entries",
      comment:
        "The app shell sees a feature through its routes.tsx (its pages, loaded lazily) and its index.ts, nothing deeper.",
      severity: "error",
      from: { path: "^src/client/app/" },
      to: { path: "^src/client/features/[^/]+/", pathNot: "^src/client/features/[^/]+/(index\\.ts|routes\\.tsx)$" },
    },
    {
      name: "client-feature-index-no-pages",
      comment:
        "A feature's index.ts is its small public surface (paths, formatting); it never pulls a page in, which would defeat loading each page when it is opened.",
      severity: "error",
      from: { path: "^src/client/features/[^/]+/index\\.ts$" },
      to: { path: "(Page|routes)\\.tsx$" },
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
      comment:
        "A repository runs queries and nothing else: services publish events, and services decide what input is valid (no DomainError from a repository).",
      severity: "error",
      from: { path: "^src/server/repositories", pathNot: "\\.(test|int\\.test|contract)\\.ts$" },
      to: { path: ["^src/server/core", "^src/server/services", "^src/server/utils/domain-error"] },
    },
    {
      name: "services-not-driver-aware",
      comment:
        "A service never knows which database driver runs: it gets a Database (db/database.ts), never the DatabaseHandle (db/client.ts), and reaches COPY and statement cancelling through a repository's port (db/bulk, picked in app.ts).",
      severity: "error",
      from: { path: "^src/server/services", pathNot: "\\.(test|int\\.test|contract)\\.ts$" },
      to: {
        path: [
          "^src/server/db/(client|bulk/|copy-exports|commit-signal|migrate)",
          "^node_modules/(postgres|@electric-sql)",
        ],
      },
    },
    {
      name: "db-below-core",
      comment: "core (events, queue, secrets) stores its state through db; db never imports core or anything above it.",
      severity: "error",
      from: { path: "^src/server/db" },
      to: { path: "^src/server/(core|services|repositories|api|trpc|http|app|deps)" },
    },
    {
      name: "utils-is-a-leaf",
      comment: "utils (errors, crypto) is imported by every layer, so it imports none of them.",
      severity: "error",
      from: { path: "^src/server/utils" },
      to: { path: "^src/server/(?!utils/)" },
    },
    {
      name: "api-contracts-under-api",
      comment:
        "A contract suite that drives procedures through a test app tests the API: it lives under src/server/api (a service's own tests may still use a test app).",
      severity: "error",
      from: { path: "^src/server/services/.*\\.contract\\.ts$" },
      to: { path: "^src/server/(trpc|testing/app)" },
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
      name: "testing-is-for-tests",
      comment: "src/server/testing holds what only tests use; production code never imports it.",
      severity: "error",
      from: {
        path: "^src/server",
        pathNot: ["^src/server/testing/", "\\.(test|int\\.test|contract|fixture)\\.ts$"],
      },
      to: { path: "^src/server/testing/" },
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
