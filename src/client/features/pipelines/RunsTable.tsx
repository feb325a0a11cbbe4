import { keepPreviousData } from "@tanstack/react-query";
import type { RunView, runListFields } from "../../../shared/schemas/pipelines";
import { useApiQuery } from "../../lib/api/useApi";
import { DataTable } from "../../ui/table/DataTable";
import type { ListSpec } from "../../ui/table/listParams";
import { useListState } from "../../ui/table/useListState";
import { isActive, runStatusOptions } from "./runStatus";
import { allRunColumns, pipelineRunColumns } from "./runsColumns";

type RunListField = (typeof runListFields)[number];

const runsSpec: ListSpec<RunListField> = {
  sortable: ["createdAt", "status", "finishedAt"],
  defaultSort: { field: "createdAt", direction: "desc" },
  filters: [{ field: "status", op: "eq", label: "Status", options: runStatusOptions }],
};

/**
 * A safety net under the live feeds: while a run on the page is active, the list is also
 * read again this often, so a lost feed delays an update but never freezes it.
 */
const ACTIVE_REFRESH_MS = 5_000;

const rowProps = (run: RunView) => ({ "data-testid": "run-row", "data-run-id": run.id });

/** Runs, newest first, each following its progress live. One pipeline's runs, or everyone's visible ones. */
export function RunsTable({ pipelineId }: { pipelineId?: string }) {
  const list = useListState(runsSpec);
  const runs = useApiQuery((api) =>
    api.pipelines.runs.queryOptions(
      { ...list.query, ...(pipelineId ? { pipelineId } : {}) },
      {
        placeholderData: keepPreviousData,
        refetchInterval: (query) =>
          query.state.data?.items.some((run) => isActive(run.status)) ? ACTIVE_REFRESH_MS : false,
      },
    ),
  );
  return (
    <DataTable
      caption="Runs"
      columns={pipelineId ? pipelineRunColumns : allRunColumns}
      spec={runsSpec}
      list={list}
      result={runs}
      getRowId={(run) => run.id}
      noun={["run", "runs"]}
      emptyMessage={list.query.filter.length > 0 ? "No runs match these filters." : "No runs yet."}
      rowProps={rowProps}
    />
  );
}
