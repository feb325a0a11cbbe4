import { keepPreviousData } from "@tanstack/react-query";
import { userListFields } from "../../../shared/constants";
import { roles } from "../../../shared/permissions";
import type { PublicUser } from "../../../shared/schemas/auth";
import { useApiQuery } from "../../lib/api/useApi";
import { DataTable } from "../../ui/table/DataTable";
import type { ListSpec } from "../../ui/table/listParams";
import { useListState } from "../../ui/table/useListState";
import { userColumns } from "./usersColumns";

type UserField = (typeof userListFields)[number];

const usersSpec: ListSpec<UserField> = {
  sortable: userListFields,
  defaultSort: { field: "createdAt", direction: "desc" },
  filters: [
    { field: "email", op: "contains", label: "Email contains" },
    { field: "role", op: "eq", label: "Role", options: roles.map((role) => ({ value: role, label: role })) },
  ],
};

const rowProps = (user: PublicUser) => ({ "data-testid": "user-row", "data-email": user.email });

export function UsersPage() {
  const list = useListState(usersSpec);
  // The previous page stays on screen while the next one loads, instead of flashing empty.
  const users = useApiQuery((api) => api.users.list.queryOptions(list.query, { placeholderData: keepPreviousData }));
  return (
    <>
      <title>Users · Gantry</title>
      <h1>Users</h1>
      <DataTable
        caption="Users"
        columns={userColumns}
        spec={usersSpec}
        list={list}
        result={users}
        getRowId={(user) => user.id}
        noun={["user", "users"]}
        rowProps={rowProps}
      />
    </>
  );
}
