import type { PublicUser } from "../../../shared/schemas/auth";
import { formatDate } from "../../ui/format";
import { columnsFor } from "../../ui/table/dataTableFeatures";
import { AdminAccountActions, EmailStateBadge } from "../account";
import { DisableButton, RoleSelect } from "./UserControls";

const column = columnsFor<PublicUser>();

/** Module scope: the table needs stable columns (a new array each render rebuilds every row). */
export const userColumns = column.columns([
  column.accessor("email", { header: "Email" }),
  column.display({
    id: "emailVerified",
    header: "Email state",
    cell: ({ row }) => <EmailStateBadge user={row.original} />,
  }),
  column.accessor("name", { header: "Name" }),
  column.accessor("role", { header: "Role", cell: ({ row }) => <RoleSelect user={row.original} /> }),
  column.display({
    id: "status",
    header: "Status",
    cell: ({ row }) => (
      <span className={`badge ${row.original.disabled ? "badge-down" : "badge-up"}`} data-testid="user-status">
        {row.original.disabled ? "Disabled" : "Active"}
      </span>
    ),
  }),
  column.accessor("createdAt", { header: "Created", cell: ({ getValue }) => formatDate(getValue()) }),
  column.display({
    id: "actions",
    header: "Actions",
    cell: ({ row }) => (
      <>
        <DisableButton user={row.original} />
        <AdminAccountActions user={row.original} />
      </>
    ),
  }),
]);
