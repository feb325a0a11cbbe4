import { keepPreviousData } from "@tanstack/react-query";
import { Link } from "react-router";
import type { PipelineView, pipelineListFields } from "../../../shared/schemas/pipelines";
import { useApiQuery } from "../../lib/api/useApi";
import { useAuth } from "../../lib/session/useAuth";
import { DataTable } from "../../ui/table/DataTable";
import type { ListSpec } from "../../ui/table/listParams";
import { useListState } from "../../ui/table/useListState";
import { newPipelinePath } from "./pipelineLinks";
import { pipelineColumns } from "./pipelinesColumns";

type PipelineListField = (typeof pipelineListFields)[number];

const pipelinesSpec: ListSpec<PipelineListField> = {
  sortable: ["name", "createdAt", "updatedAt"],
  defaultSort: { field: "updatedAt", direction: "desc" },
  filters: [{ field: "name", op: "contains", label: "Name contains" }],
};

const rowProps = (pipeline: PipelineView) => ({ "data-testid": "pipeline-row", "data-id": pipeline.id });

export function PipelinesPage() {
  const { can } = useAuth();
  const list = useListState(pipelinesSpec);
  const pipelines = useApiQuery((api) =>
    api.pipelines.list.queryOptions(list.query, { placeholderData: keepPreviousData }),
  );
  return (
    <>
      <title>Pipelines · Gantry</title>
      <h1>Pipelines</h1>
      <div className="form-actions page-actions">
        {can("pipelines:write") ? (
          <Link className="button-link" to={newPipelinePath()} data-testid="new-pipeline">
            New pipeline
          </Link>
        ) : null}
        <Link to="/runs">All runs</Link>
      </div>
      <DataTable
        caption="Pipelines"
        columns={pipelineColumns}
        spec={pipelinesSpec}
        list={list}
        result={pipelines}
        getRowId={(pipeline) => pipeline.id}
        noun={["pipeline", "pipelines"]}
        emptyMessage={list.query.filter.length > 0 ? "No pipelines match these filters." : "No pipelines yet."}
        rowProps={rowProps}
      />
    </>
  );
}
