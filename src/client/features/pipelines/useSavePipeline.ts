import { useEffect, useState } from "react";
import { useNavigate } from "react-router";
import { isUuid } from "../../../shared/ids";
import type { FieldErrors } from "../../lib/api/apiError";
import { useApi, useApiMutation } from "../../lib/api/useApi";
import { useDraftStore } from "./draftContext";
import { draftSteps } from "./pipelineDraft";
import { pipelinePath } from "./pipelineLinks";
import { type BuilderErrors, builderErrors } from "./stepErrors";

/**
 * Saves the draft: creates the pipeline (then opens its page) or updates it. The server checks
 * the steps against the data set; its errors are placed on the steps that were sent. Any edit
 * clears them: they were about a draft that no longer exists, and the preview checks the new one.
 */
export function useSavePipeline(pipelineId: string | null) {
  const store = useDraftStore();
  const navigate = useNavigate();
  const { api, queryClient } = useApi();
  const create = useApiMutation((api) => api.pipelines.create.mutationOptions(), {
    invalidates: (api) => [api.pipelines.list.pathFilter()],
  });
  const update = useApiMutation((api) => api.pipelines.update.mutationOptions(), {
    invalidates: (api) => [api.pipelines.list.pathFilter()],
  });
  const [sentKeys, setSentKeys] = useState<string[]>([]);
  const [local, setLocal] = useState<FieldErrors>({});

  const { reset: resetCreate } = create;
  const { reset: resetUpdate } = update;
  useEffect(
    () =>
      store.subscribe((state, previous) => {
        if (state.steps === previous.steps && state.name === previous.name && state.datasetId === previous.datasetId)
          return;
        resetCreate();
        resetUpdate();
        setLocal({});
      }),
    [store, resetCreate, resetUpdate],
  );

  const submit = () => {
    const sent = store.getState();
    const problems: FieldErrors = {
      ...(sent.name.trim() ? {} : { name: ["Name the pipeline."] }),
      ...(isUuid(sent.datasetId) ? {} : { datasetId: ["Choose a data set."] }),
    };
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;
    setSentKeys(sent.steps.map((entry) => entry.key));
    const body = { name: sent.name.trim(), datasetId: sent.datasetId, steps: draftSteps(sent) };
    if (pipelineId) {
      update.mutate(
        { id: pipelineId, ...body },
        {
          onSuccess: (view) => {
            queryClient.setQueryData(api.pipelines.byId.queryKey({ id: view.id }), view);
            store.getState().markSaved(sent);
          },
        },
      );
    } else {
      create.mutate(body, {
        onSuccess: (view) => {
          queryClient.setQueryData(api.pipelines.byId.queryKey({ id: view.id }), view);
          navigate(pipelinePath(view.id), { replace: true });
        },
      });
    }
  };

  const mutation = pipelineId ? update : create;
  const answered = builderErrors(mutation.error, sentKeys);
  const errors: BuilderErrors =
    Object.keys(local).length > 0
      ? { byField: local, byStep: {}, summary: "Check the fields marked below.", placed: true }
      : answered;
  return { submit, errors, isPending: mutation.isPending, failed: mutation.isError || Object.keys(local).length > 0 };
}
