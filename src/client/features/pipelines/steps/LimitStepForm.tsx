import { useState } from "react";
import { fieldHasError } from "../stepErrors";
import { TextInput } from "./controls";
import type { StepFormProps, StepOf } from "./stepFormProps";

/** The box keeps what is typed; the step takes it once it is a whole number. */
export function LimitStepForm({ step, errors, onChange }: StepFormProps<StepOf<"limit">>) {
  const [text, setText] = useState(String(step.count));
  const whole = /^\d+$/.test(text.trim());
  return (
    <TextInput
      label="Keep the first … rows"
      value={text}
      inputMode="numeric"
      invalid={!whole || fieldHasError(errors, "count")}
      hint={whole ? undefined : "Enter a whole number."}
      onChange={(typed) => {
        setText(typed);
        if (/^\d+$/.test(typed.trim())) onChange({ ...step, count: Number(typed.trim()) });
      }}
    />
  );
}
