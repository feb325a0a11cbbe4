import { type FormEvent, useState } from "react";
import type { PipelineView } from "../../../shared/schemas/pipelines";
import { formErrors } from "../../lib/api/formErrors";
import { useApi, useApiMutation, useApiQuery } from "../../lib/api/useApi";
import { FormAlert } from "../../ui/form/FormAlert";
import { TextField } from "../../ui/form/TextField";
import { retentionText } from "./scheduleRules";

/** Five fields separated by spaces; the server checks what each field says. */
function cronShapeProblem(text: string): string | null {
  if (!text) return null;
  return text.split(/\s+/).length === 5 ? null : "Write five fields: minute hour day-of-month month day-of-week.";
}

/**
 * Repeats the saved pipeline on a cron schedule (UTC), or stops repeating it. The server
 * registers the schedule with the job queue; a bad expression comes back on the field.
 */
export function SchedulePanel({ pipeline, editable }: { pipeline: PipelineView; editable: boolean }) {
  const { api, queryClient } = useApi();
  const [cron, setCron] = useState(pipeline.schedule ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const schedule = useApiMutation((api) => api.pipelines.schedule.mutationOptions(), {
    invalidates: (api) => [api.pipelines.list.pathFilter()],
  });
  const errors = formErrors(schedule.error, ["cron"]);
  const rules = useApiQuery((api) => api.pipelines.scheduleRules.queryOptions(undefined, { staleTime: Infinity })).data;

  const send = (next: string | null) => {
    setProblem(null);
    schedule.mutate(
      { pipelineId: pipeline.id, cron: next },
      {
        onSuccess: (view) => {
          queryClient.setQueryData(api.pipelines.byId.queryKey({ id: view.id }), view);
          setCron(view.schedule ?? "");
        },
      },
    );
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = cron.trim();
    const shape = cronShapeProblem(text);
    if (shape) {
      schedule.reset();
      setProblem(shape);
      return;
    }
    send(text || null);
  };

  return (
    <section className="panel" aria-labelledby="schedule-heading" data-testid="schedule-panel">
      <h2 id="schedule-heading">Schedule</h2>
      <p data-testid="schedule-current">
        {pipeline.schedule ? (
          <>
            Runs on the schedule <code>{pipeline.schedule}</code> (UTC).
          </>
        ) : (
          "Not scheduled: it runs when someone starts it."
        )}
      </p>
      {rules ? (
        <p className="muted-line" data-testid="schedule-retention">
          {retentionText(rules)}
        </p>
      ) : null}
      {editable ? (
        <form className="form" noValidate onSubmit={submit} aria-label="Schedule">
          <FormAlert errors={errors} waitSeconds={0} />
          <TextField
            label="Cron expression (UTC)"
            name="cron"
            autoComplete="off"
            spellCheck={false}
            value={cron}
            onChange={(event) => setCron(event.target.value)}
            hint={`0 * * * * runs hourly; 30 6 * * 1 runs Mondays at 06:30. Leave empty to stop.${
              rules ? ` At most every ${rules.minIntervalMinutes} minutes.` : ""
            }`}
            errors={problem ? [problem] : errors.byField.cron}
          />
          <div className="form-actions">
            <button type="submit" disabled={schedule.isPending} data-testid="save-schedule">
              {schedule.isPending ? "Saving…" : "Save schedule"}
            </button>
            {pipeline.schedule ? (
              <button type="button" disabled={schedule.isPending} onClick={() => send(null)}>
                Stop the schedule
              </button>
            ) : null}
          </div>
        </form>
      ) : null}
    </section>
  );
}
