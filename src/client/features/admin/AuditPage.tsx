import { keepPreviousData } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { auditListFields } from "../../../shared/constants";
import type { AuditEntry } from "../../../shared/schemas/audit";
import { useApi, useApiQuery } from "../../lib/api/useApi";
import { useLiveSubscription } from "../../lib/socket/useWebSocket";
import { LiveIndicator } from "../../ui/LiveIndicator";
import { DataTable } from "../../ui/table/DataTable";
import type { ListSpec } from "../../ui/table/listParams";
import { useListState } from "../../ui/table/useListState";
import { auditColumns } from "./auditColumns";

type AuditField = (typeof auditListFields)[number];

const auditSpec: ListSpec<AuditField> = {
  sortable: auditListFields,
  defaultSort: { field: "occurredAt", direction: "desc" },
  filters: [{ field: "type", op: "contains", label: "Type contains" }],
};

/** Bursts (a sign-in writes several events) refetch once. */
const REFRESH_AFTER_MS = 250;
/** How many live entries stay highlighted. */
const MAX_FRESH = 50;
/** A live feed that failed (e.g. across a password change) tries again after this pause. */
const RESUBSCRIBE_AFTER_MS = 3_000;

export function AuditPage() {
  const list = useListState(auditSpec);
  const { api, queryClient } = useApi();
  const entries = useApiQuery((api) => api.audit.list.queryOptions(list.query, { placeholderData: keepPreviousData }));
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [missed, setMissed] = useState(0);
  const refresh = useRef<ReturnType<typeof setTimeout> | null>(null);

  // New entries belong at the top of the newest-first first page: refetch it. Elsewhere
  // the rows would jump under the reader, so count them instead.
  const { state } = list;
  const showsNewest = state.page === 1 && state.sort.field === "occurredAt" && state.sort.direction === "desc";
  const onEntry = useCallback(
    (entry: AuditEntry) => {
      setFresh((previous) => new Set([entry.id, ...[...previous].slice(0, MAX_FRESH - 1)]));
      if (!showsNewest) {
        setMissed((count) => count + 1);
        return;
      }
      refresh.current ??= setTimeout(() => {
        refresh.current = null;
        void queryClient.invalidateQueries(api.audit.list.pathFilter());
      }, REFRESH_AFTER_MS);
    },
    [showsNewest, queryClient, api],
  );
  useEffect(() => () => clearTimeout(refresh.current ?? undefined), []);
  useEffect(() => {
    if (showsNewest) setMissed(0);
  }, [showsNewest]);

  const live = useLiveSubscription((api) => api.audit.onEntry.subscriptionOptions(undefined, { onData: onEntry }));
  const { status: liveStatus, reset: resubscribe } = live;
  useEffect(() => {
    if (liveStatus !== "error") return;
    const timer = setTimeout(resubscribe, RESUBSCRIBE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [liveStatus, resubscribe]);

  const rowProps = useCallback(
    (entry: AuditEntry) => ({
      "data-testid": "audit-row",
      "data-new": fresh.has(entry.id) || undefined,
      className: fresh.has(entry.id) ? "row-new" : undefined,
    }),
    [fresh],
  );

  return (
    <>
      <title>Audit log · Gantry</title>
      <h1>Audit log</h1>
      <DataTable
        caption="Audit log"
        columns={auditColumns}
        spec={auditSpec}
        list={list}
        result={entries}
        getRowId={(entry) => entry.id}
        noun={["entry", "entries"]}
        emptyMessage="No audit entries match these filters."
        rowProps={rowProps}
        toolbar={
          <LiveIndicator
            status={liveStatus}
            missed={missed}
            onShowNewest={() => list.update({ ...state, page: 1, sort: auditSpec.defaultSort })}
          />
        }
      />
    </>
  );
}
