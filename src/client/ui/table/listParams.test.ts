import { describe, expect, it } from "vitest";
import { type ListSpec, pageCount, readListState, toListQuery, writeListState } from "./listParams";
import { fromColumnFilters, fromSorting, nextListState, toColumnFilters, toSorting } from "./tableState";

type UserField = "email" | "name" | "role" | "createdAt";

const users: ListSpec<UserField> = {
  sortable: ["email", "name", "role", "createdAt"],
  defaultSort: { field: "createdAt", direction: "desc" },
  filters: [
    { field: "email", op: "contains", label: "Email contains" },
    {
      field: "role",
      op: "eq",
      label: "Role",
      options: [
        { value: "admin", label: "Admin" },
        { value: "user", label: "User" },
        { value: "guest", label: "Guest" },
      ],
    },
  ],
};

const read = (search: string) => readListState(new URLSearchParams(search), users);

describe("readListState", () => {
  it("reads a bare address as the first page in the default order", () => {
    expect(read("")).toEqual({
      page: 1,
      pageSize: 20,
      sort: { field: "createdAt", direction: "desc" },
      filters: {},
    });
  });

  it("reads page, size, sort and filters from the address", () => {
    expect(read("?page=3&size=50&sort=email.asc&email=%20ada%20&role=guest")).toEqual({
      page: 3,
      pageSize: 50,
      sort: { field: "email", direction: "asc" },
      filters: { email: "ada", role: "guest" },
    });
  });

  it("falls back to defaults for anything the server would refuse", () => {
    expect(read("?page=-2&size=1000&sort=passwordHash.asc&role=owner&email=%20%20")).toEqual(read(""));
    expect(read("?page=1.5&size=abc&sort=email").page).toBe(1);
    expect(read(`?email=${"x".repeat(300)}`).filters.email).toHaveLength(200);
  });
});

describe("writeListState", () => {
  it("round-trips through the address and leaves defaults out", () => {
    const state = read("?page=2&sort=role.desc&role=admin");
    const written = writeListState(new URLSearchParams(), state, users);
    expect(written.toString()).toBe("page=2&sort=role.desc&role=admin");
    expect(readListState(written, users)).toEqual(state);
    expect(writeListState(new URLSearchParams(), read(""), users).toString()).toBe("");
  });

  it("keeps parameters that are not the table's", () => {
    const written = writeListState(new URLSearchParams("tab=x&page=4"), read(""), users);
    expect(written.toString()).toBe("tab=x");
  });
});

describe("toListQuery", () => {
  it("sends each filter with the operator its column uses", () => {
    expect(toListQuery(read("?email=ada&role=admin&size=10"), users)).toEqual({
      page: 1,
      pageSize: 10,
      sort: { field: "createdAt", direction: "desc" },
      filter: [
        { field: "email", op: "contains", value: "ada" },
        { field: "role", op: "eq", value: "admin" },
      ],
    });
  });
});

describe("table state", () => {
  it("maps sorting both ways and falls back to the default order", () => {
    expect(toSorting({ field: "email", direction: "asc" })).toEqual([{ id: "email", desc: false }]);
    expect(fromSorting([{ id: "role", desc: true }], users)).toEqual({ field: "role", direction: "desc" });
    expect(fromSorting([], users)).toEqual(users.defaultSort);
    expect(fromSorting([{ id: "actions", desc: false }], users)).toEqual(users.defaultSort);
  });

  it("maps filters both ways, dropping empty and unknown values", () => {
    expect(toColumnFilters({ email: "ada" })).toEqual([{ id: "email", value: "ada" }]);
    expect(
      fromColumnFilters(
        [
          { id: "email", value: "  " },
          { id: "role", value: "guest" },
          { id: "name", value: "x" },
        ],
        users,
      ),
    ).toEqual({ role: "guest" });
  });

  it("goes back to page 1 when the order, the filters or the page size change", () => {
    const onPage3 = read("?page=3");
    expect(nextListState(onPage3, { sort: { field: "email", direction: "asc" } }).page).toBe(1);
    expect(nextListState(onPage3, { filters: { role: "admin" } }).page).toBe(1);
    expect(nextListState(onPage3, { pagination: { pageIndex: 2, pageSize: 50 } })).toMatchObject({
      page: 1,
      pageSize: 50,
    });
    expect(nextListState(onPage3, { pagination: { pageIndex: 3, pageSize: 20 } }).page).toBe(4);
    expect(nextListState(onPage3, { filters: {} }).page).toBe(3);
  });

  it("counts at least one page", () => {
    expect(pageCount(0, 20)).toBe(1);
    expect(pageCount(41, 20)).toBe(3);
  });
});
