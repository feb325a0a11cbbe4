import type { Step } from "../../../../shared/schemas/pipelines";
import { AggregateStepForm } from "./AggregateStepForm";
import { DedupeStepForm } from "./DedupeStepForm";
import { DeriveStepForm } from "./DeriveStepForm";
import { FilterStepForm } from "./FilterStepForm";
import { JoinStepForm } from "./JoinStepForm";
import { LimitStepForm } from "./LimitStepForm";
import { RenameStepForm } from "./RenameStepForm";
import { SelectStepForm } from "./SelectStepForm";
import { SortStepForm } from "./SortStepForm";
import type { StepFormProps } from "./stepFormProps";

/** One small form per step type. */
export function StepForm({ step, ...props }: StepFormProps<Step>) {
  switch (step.type) {
    case "filter":
      return <FilterStepForm step={step} {...props} />;
    case "select":
      return <SelectStepForm step={step} {...props} />;
    case "rename":
      return <RenameStepForm step={step} {...props} />;
    case "derive":
      return <DeriveStepForm step={step} {...props} />;
    case "aggregate":
      return <AggregateStepForm step={step} {...props} />;
    case "sort":
      return <SortStepForm step={step} {...props} />;
    case "dedupe":
      return <DedupeStepForm step={step} {...props} />;
    case "limit":
      return <LimitStepForm step={step} {...props} />;
    case "join":
      return <JoinStepForm step={step} {...props} />;
  }
}
