import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Step } from "../../../shared/schemas/pipelines.js";
import type { DatabaseHandle } from "../../db/client.js";
import { queryRows } from "../../db/database.js";
import { createTestPglite, createTestPostgres } from "../../testing/services.js";
import { compilePipeline, outputSelect } from "./compiler/steps.js";

/** d1 = amount + amount, d2 = d1 + d1, ...: each derive uses the one before twice. */
export function doublingDerives(k: number): Step[] {
  return Array.from({ length: k }, (_, i) => ({
    type: "derive" as const,
    name: `d${i + 1}`,
    expression: i === 0 ? "amount + amount" : `d${i} + d${i}`,
  }));
}

/**
 * The cost of planning a pipeline grows with what the user wrote, not with what inlining would
 * make of it: the plan of 17 chained derives (2^17 copies of `amount` if each reference were
 * replaced by its expression) is a few times the plan of 4, not thousands of times.
 */
export function planGrowthContract(mode: "embedded" | "services"): void {
  describe(`planned size of chained derives (${mode === "embedded" ? "PGlite" : "PostgreSQL"})`, () => {
    let handle: DatabaseHandle;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      if (mode === "services") {
        const pg = await createTestPostgres();
        handle = pg.handle;
        drop = pg.drop;
      } else {
        handle = await createTestPglite();
        drop = () => handle.close();
      }
      await handle.db.execute(sql.raw(`create table "t_growth" ("__row" bigint, "amount" double precision)`));
      await handle.db.execute(sql.raw(`insert into "t_growth" values (1, 1.5), (2, 2), (3, null)`));
    }, 60_000);
    afterAll(async () => {
      await drop?.();
    });

    const statement = (k: number) => {
      const compiled = compilePipeline(
        { table: "t_growth", columns: [{ name: "amount", key: "amount", type: "number" }] },
        doublingDerives(k),
      );
      return outputSelect(
        compiled,
        compiled.columns.map((_, i) => `o${i}`),
      );
    };
    /** EXPLAIN VERBOSE prints every output expression in full: its size is the size of the plan. */
    const planSize = async (k: number) => {
      const query = statement(k);
      const rows = await handle.db.transaction(async (tx) => {
        // Never JIT here, even on the code this test guards against.
        await tx.execute(sql.raw("set local jit = off"));
        return queryRows<Record<string, unknown>>(tx, sql`explain (verbose, format json) ${query}`);
      });
      return JSON.stringify(rows).length;
    };

    it("grows linearly with the number of derives, in the plan as in the SQL", async () => {
      const small = await planSize(4);
      const large = await planSize(17);
      // 17 steps against 4: about 4x the work; exponential inlining would be about 8000x.
      expect(large / small).toBeLessThan(10);
    }, 60_000);

    it("runs 20 chained derives at once, with the values of the expression written out", async () => {
      const rows = await queryRows<Record<string, unknown>>(
        handle.db,
        sql`select * from (${statement(20)}) as q order by "__row"`,
      );
      expect(rows.map((r) => [r.o0, r.o20])).toEqual([
        [1.5, 1.5 * 2 ** 20],
        [2, 2 * 2 ** 20],
        [null, null],
      ]);
    });
  });
}
