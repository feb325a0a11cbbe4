import type { TestPaymentMethod } from "../../../shared/schemas/payments";

const outcomeHints: Record<TestPaymentMethod["outcome"], string> = {
  succeeds: "Settles within a second.",
  fails: "Is refused by the test processor.",
  succeeds_later: "Settles after a few seconds.",
};

interface TestCardChooserProps {
  methods: readonly TestPaymentMethod[];
  defaultMethod: string | undefined;
  errors: string[] | undefined;
}

/** The sandbox's test cards as radio buttons (field `paymentMethod`): no card numbers to type or mistype. */
export function TestCardChooser({ methods, defaultMethod, errors }: TestCardChooserProps) {
  const invalid = (errors?.length ?? 0) > 0;
  return (
    <fieldset className="card-chooser" aria-invalid={invalid || undefined}>
      <legend>Test card</legend>
      {methods.map((method) => (
        <label key={method.id} className="card-option">
          <input type="radio" name="paymentMethod" value={method.id} defaultChecked={method.id === defaultMethod} />
          <span>
            {method.label} <code>{method.id}</code>
            <span className="field-hint">{outcomeHints[method.outcome]}</span>
          </span>
        </label>
      ))}
      {invalid ? (
        <ul className="field-errors" data-testid="paymentMethod-errors">
          {errors?.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}
