import { type Role, roles } from "../../../shared/permissions";
import type { PublicUser } from "../../../shared/schemas/auth";
import { describeApiError } from "../../lib/api/apiError";
import type { Api } from "../../lib/api/trpc";
import { useApiMutation } from "../../lib/api/useApi";
import { useAuth } from "../../lib/session/useAuth";

/** Both controls change a row of the list; refetch it so the table shows what the server now holds. */
const refreshesList = { invalidates: (api: Api) => [api.users.list.pathFilter()] };

/** Administrators cannot demote or disable themselves (the server refuses too): nobody locks the last admin out. */
function useIsSelf(user: PublicUser): boolean {
  return useAuth().user?.id === user.id;
}

export function RoleSelect({ user }: { user: PublicUser }) {
  const self = useIsSelf(user);
  const setRole = useApiMutation((api) => api.users.setRole.mutationOptions(), refreshesList);
  // Show the choice at once; the refetch after success confirms it.
  const shown: Role = setRole.isPending ? setRole.variables.role : user.role;
  return (
    <>
      <select
        aria-label={`Role of ${user.email}`}
        value={shown}
        disabled={self || setRole.isPending}
        title={self ? "You cannot change your own role" : undefined}
        onChange={(event) => {
          const role = roles.find((candidate) => candidate === event.target.value);
          if (role) setRole.mutate({ userId: user.id, role });
        }}
      >
        {roles.map((role) => (
          <option key={role} value={role}>
            {role}
          </option>
        ))}
      </select>
      {setRole.error ? (
        <span role="alert" className="inline-error">
          {describeApiError(setRole.error).message}
        </span>
      ) : null}
    </>
  );
}

export function DisableButton({ user }: { user: PublicUser }) {
  const self = useIsSelf(user);
  const setDisabled = useApiMutation((api) => api.users.setDisabled.mutationOptions(), refreshesList);
  if (self) return <span className="muted-line">You</span>;
  const action = user.disabled ? "Enable" : "Disable";
  return (
    <>
      <button
        type="button"
        className={user.disabled ? undefined : "danger"}
        onClick={() => setDisabled.mutate({ userId: user.id, disabled: !user.disabled })}
        disabled={setDisabled.isPending}
        aria-label={`${action} ${user.email}`}
      >
        {setDisabled.isPending ? `${action.replace(/e$/, "")}ing…` : action}
      </button>
      {setDisabled.error ? (
        <span role="alert" className="inline-error">
          {describeApiError(setDisabled.error).message}
        </span>
      ) : null}
    </>
  );
}
