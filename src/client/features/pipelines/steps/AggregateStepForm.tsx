import { defaultAggregateName, functionOptions } from "../stepCatalog";
import { fieldHasError } from "../stepErrors";
import { Choice, ColumnChecklist, ColumnSelect, TextInput } from "./controls";
import type { StepFormProps, StepOf } from "./stepFormProps";

type Aggregation = StepOf<"aggregate">["aggregations"][number];

/**
 * Groups rows and computes one value per group. An aggregation's name follows its function
 * and column (`sum_amount`) until the user writes one of their own.
 */
export function AggregateStepForm({ step, scope, errors, onChange }: StepFormProps<StepOf<"aggregate">>) {
  const setAggregation = (index: number, change: Partial<Aggregation>) =>
    onChange({
      ...step,
      aggregations: step.aggregations.map((current, i) => {
        if (i !== index) return current;
        const next = { ...current, ...change };
        const named = current.as.trim() !== "" && current.as !== defaultAggregateName(current.function, current.column);
        return named || "as" in change ? next : { ...next, as: defaultAggregateName(next.function, next.column) };
      }),
    });
  const firstNumeric = scope.find((column) => column.type === "integer" || column.type === "number")?.name;

  return (
    <div className="step-rows">
      <ColumnChecklist
        legend="Group by"
        hint="None ticked: one row for the whole data set."
        value={step.groupBy}
        scope={scope}
        invalid={fieldHasError(errors, "groupBy")}
        onChange={(groupBy) => onChange({ ...step, groupBy })}
      />
      {step.aggregations.map((aggregation, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: aggregations are edited in place and only removed, never reordered
        <fieldset className="step-fields" key={index}>
          <legend className="visually-hidden">Aggregation {index + 1}</legend>
          <Choice
            label="Function"
            value={aggregation.function}
            options={functionOptions}
            invalid={fieldHasError(errors, `aggregations.${index}.function`)}
            onChange={(fn) =>
              setAggregation(index, {
                function: fn,
                // A count needs no column; the others need one, so offer a number column to start.
                column: fn === "count" ? aggregation.column : (aggregation.column ?? firstNumeric),
              })
            }
          />
          <ColumnSelect
            label="Of column"
            value={aggregation.column}
            scope={scope}
            noneLabel={aggregation.function === "count" ? "(all rows)" : undefined}
            invalid={fieldHasError(errors, `aggregations.${index}.column`)}
            onChange={(column) => setAggregation(index, { column })}
          />
          <TextInput
            label="As"
            value={aggregation.as}
            invalid={fieldHasError(errors, `aggregations.${index}.as`)}
            onChange={(as) => setAggregation(index, { as })}
          />
          {step.aggregations.length > 1 ? (
            <button
              type="button"
              className="row-remove"
              aria-label={`Remove aggregation ${index + 1}`}
              onClick={() => onChange({ ...step, aggregations: step.aggregations.filter((_, i) => i !== index) })}
            >
              Remove
            </button>
          ) : null}
        </fieldset>
      ))}
      <button
        type="button"
        onClick={() =>
          onChange({
            ...step,
            aggregations: [
              ...step.aggregations,
              { function: "sum", column: firstNumeric, as: defaultAggregateName("sum", firstNumeric) },
            ],
          })
        }
      >
        Add an aggregation
      </button>
    </div>
  );
}
