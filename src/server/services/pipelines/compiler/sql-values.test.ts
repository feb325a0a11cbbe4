import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { compareSql, ident, param } from "./sql-values.js";

const dialect = new PgDialect();
const render = (op: Parameters<typeof compareSql>[1]) =>
  dialect.sqlToQuery(compareSql(ident("qty"), op, param("integer", "5")));

/** One comparison for filter steps and data table filters, so both read a filter the same way. */
describe("compareSql", () => {
  it("compares with the SQL operator, the value bound as a parameter", () => {
    expect(render("eq")).toMatchObject({ sql: `"qty" = $1::bigint`, params: ["5"] });
    expect(render("neq").sql).toBe(`"qty" <> $1::bigint`);
    expect(render("gt").sql).toBe(`"qty" > $1::bigint`);
    expect(render("gte").sql).toBe(`"qty" >= $1::bigint`);
    expect(render("lt").sql).toBe(`"qty" < $1::bigint`);
    expect(render("lte").sql).toBe(`"qty" <= $1::bigint`);
  });

  it("matches contains case-insensitively, without LIKE wildcards", () => {
    const query = dialect.sqlToQuery(compareSql(sql`"note"`, "contains", param("text", "50%_")));
    expect(query).toMatchObject({ sql: `strpos(lower("note"), lower($1::text)) > 0`, params: ["50%_"] });
  });
});
