import { defineConfig } from "drizzle-kit";

// Migrations are generated from the Drizzle schema and committed; the same SQL runs on
// PostgreSQL and on embedded PGlite.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/server/db/schema/index.ts",
  out: "./drizzle",
});
