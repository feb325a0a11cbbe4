import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/client.js";
import { createTestPglite, createTestPostgres, type TestPostgres } from "../testing/services.js";
import { UsersRepository } from "./users.js";

/** BaseRepository's contract, through a real aggregate, on both databases. */
const databases: Array<[string, () => DatabaseHandle]> = [];
let pg: TestPostgres;
let lite: DatabaseHandle;

beforeAll(async () => {
  [pg, lite] = await Promise.all([createTestPostgres(), createTestPglite()]);
  databases.push(["postgres", () => pg.handle], ["pglite", () => lite]);
});
afterAll(async () => {
  await Promise.all([pg?.drop(), lite?.close()]);
});

const users = new UsersRepository();
const people = [
  { email: "ada@x.test", name: "Ada", role: "admin" as const },
  { email: "bob@x.test", name: "Bob", role: "user" as const },
  { email: "cy@x.test", name: "Cy", role: "guest" as const },
  { email: "di_50%@x.test", name: "Di", role: "user" as const },
  { email: "eve@x.test", name: "Eve", role: "user" as const },
];

describe.each(["postgres", "pglite"])("BaseRepository on %s", (kind) => {
  const db = () => {
    const found = databases.find(([name]) => name === kind);
    if (!found) throw new Error(kind);
    return found[1]().db;
  };

  it("inserts, finds by id, updates and deletes", async () => {
    const created = await users.insert(db(), { email: `solo-${kind}@x.test`, name: "Solo", passwordHash: "h" });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await users.findById(db(), created.id))?.name).toBe("Solo");
    const updated = await users.update(db(), created.id, { name: "Renamed" });
    expect(updated?.name).toBe("Renamed");
    expect(updated?.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
    expect(await users.delete(db(), created.id)).toBe(true);
    expect(await users.findById(db(), created.id)).toBeUndefined();
    expect(await users.delete(db(), created.id)).toBe(false);
  });

  it("pages, sorts and filters", async () => {
    for (const person of people) await users.insert(db(), { ...person, passwordHash: "h" });
    const firstPage = await users.list(db(), {
      page: 1,
      pageSize: 2,
      sort: { field: "name", direction: "asc" },
      filter: [],
    });
    expect(firstPage.total).toBe(5);
    expect(firstPage.items.map((u) => u.name)).toEqual(["Ada", "Bob"]);
    const lastPage = await users.list(db(), {
      page: 3,
      pageSize: 2,
      sort: { field: "name", direction: "asc" },
      filter: [],
    });
    expect(lastPage.items.map((u) => u.name)).toEqual(["Eve"]);

    const byRole = await users.list(db(), {
      page: 1,
      pageSize: 10,
      sort: { field: "email", direction: "desc" },
      filter: [{ field: "role", op: "eq", value: "user" }],
    });
    expect(byRole.items.map((u) => u.name)).toEqual(["Eve", "Di", "Bob"]);
    expect(byRole.total).toBe(3);
  });

  it("treats LIKE wildcards in a contains filter as plain characters", async () => {
    const page = await users.list(db(), {
      page: 1,
      pageSize: 10,
      filter: [{ field: "email", op: "contains", value: "50%" }],
    });
    expect(page.items.map((u) => u.name)).toEqual(["Di"]);
    const none = await users.list(db(), {
      page: 1,
      pageSize: 10,
      filter: [{ field: "email", op: "contains", value: "_" }],
    });
    expect(none.items.map((u) => u.name)).toEqual(["Di"]);
  });

  // Values a column cannot hold are refused by the list schema, before any query: see
  // shared/schemas/list.test.ts.
  it("compares dates as dates", async () => {
    const since = await users.list(db(), {
      page: 1,
      pageSize: 10,
      filter: [{ field: "createdAt", op: "gte", value: "2000-01-01T00:00:00Z" }],
    });
    expect(since.total).toBeGreaterThanOrEqual(5);
    const future = await users.list(db(), {
      page: 1,
      pageSize: 10,
      filter: [{ field: "createdAt", op: "gt", value: "2999-01-01" }],
    });
    expect(future.total).toBe(0);
  });

  it("runs inside a transaction and rolls back with it", async () => {
    await expect(
      db().transaction(async (tx) => {
        await users.insert(tx, { email: `rollback-${kind}@x.test`, name: "Ghost", passwordHash: "h" });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const ghosts = await users.list(db(), {
      page: 1,
      pageSize: 10,
      filter: [{ field: "name", op: "eq", value: "Ghost" }],
    });
    expect(ghosts.total).toBe(0);
  });
});
