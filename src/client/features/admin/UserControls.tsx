import { type Role, roles } from "../../../shared/permissions";
import type { PublicUser } from "../../../shared/schemas/auth";
import { describeApiError } from "../../lib/api/apiError";
import type { Api } from "../../lib/api/trpc";
import { useApiMutation } from "../../lib/api/useApi";
import { useAuth } from "../../lib/session/useAuth";
import { useConfirm } from "../../ui/ConfirmDialog";

/** Both controls change a row of the list; refetch it so the table shows what the server now holds. */
const refreshesList = { invalidates: (api: Api) => [api.users.list.pathFilter()] };

/** Administrators cannot demote or disable themselves (the server refuses too): nobody locks the last admin out. */
function useIsSelf(user: PublicUser): boolean {
  return useAuth().user?.id === user.id;
}

export function RoleSelect({ user }: { user: PublicUser }) {
  const self = useIsSelf(user);
  const setRole = useApiMutation((api) => api.users.setRole.mutationOptions(), refreshesList);
  const { confirm, dialog } = useConfirm();
  // Show the choice at once; the refetch after success confirms it.
  const shown: Role = setRole.isPending ? setRole.variables.role : user.role;
  return (
    <>
      <select
        aria-label={`Role of ${user.email}`}
        value={shown}
        disabled={self || setRole.isPending}
        title={self ? "You cannot change your own role" : undefined}
        onChange={async (event) => {
          const role = roles.find((candidate) => candidate === event.target.value);
          if (!role || role === user.role) return;
          // A role change acts at once on every session of the account: asked before it is made.
          const confirmed = await confirm({
            title: `Make ${user.email} ${articleFor(role)} ${role}?`,
            body: <p>{roleEffect(role)} It takes effect at once in every browser they are signed in on.</p>,
            confirmLabel: `Make ${role}`,
            danger: role !== "admin" && user.role === "admin",
          });
          if (confirmed) setRole.mutate({ userId: user.id, role });
        }}
      >
        {roles.map((role) => (
          <option key={role} value={role}>
            {role}
          </option>
        ))}
      </select>
      {dialog}
      {setRole.error ? (
        <span role="alert" className="inline-error">
          {describeApiError(setRole.error).message}
        </span>
      ) : null}
    </>
  );
}

function articleFor(role: Role): string {
  return role === "admin" ? "an" : "a";
}

function roleEffect(role: Role): string {
  if (role === "admin") return "Admins manage every account and read the ledger and audit log.";
  if (role === "guest") return "Guests can only look: they cannot pay, import or run anything.";
  return "Users pay, import data and run their own pipelines.";
}

export function DisableButton({ user }: { user: PublicUser }) {
  const self = useIsSelf(user);
  const setDisabled = useApiMutation((api) => api.users.setDisabled.mutationOptions(), refreshesList);
  const { confirm, dialog } = useConfirm();
  if (self) return <span className="muted-line">You</span>;
  const action = user.disabled ? "Enable" : "Disable";
  return (
    <>
      <button
        type="button"
        className={user.disabled ? undefined : "danger"}
        onClick={async () => {
          // Disabling signs the person out everywhere at once: asked first. Enabling is harmless.
          if (!user.disabled) {
            const confirmed = await confirm({
              title: `Disable ${user.email}?`,
              body: <p>They are signed out everywhere at once and cannot sign in until enabled again.</p>,
              confirmLabel: "Disable account",
              danger: true,
            });
            if (!confirmed) return;
          }
          setDisabled.mutate({ userId: user.id, disabled: !user.disabled });
        }}
        disabled={setDisabled.isPending}
        aria-label={`${action} ${user.email}`}
      >
        {setDisabled.isPending ? `${action.replace(/e$/, "")}ing…` : action}
      </button>
      {dialog}
      {setDisabled.error ? (
        <span role="alert" className="inline-error">
          {describeApiError(setDisabled.error).message}
        </span>
      ) : null}
    </>
  );
}
