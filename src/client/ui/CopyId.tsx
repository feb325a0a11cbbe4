import { useEffect, useState } from "react";

/**
 * The id behind a name, on demand: a small button that copies it (the full id is also its
 * title). Lists show who and what by name; support and logs still need the id.
 */
export function CopyId({ id, what }: { id: string; what: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button
      type="button"
      className="copy-id"
      title={id}
      aria-label={copied ? `Copied the id of ${what}` : `Copy the id of ${what}`}
      data-testid="copy-id"
      onClick={() => {
        navigator.clipboard?.writeText(id).then(
          () => setCopied(true),
          () => setCopied(false),
        );
      }}
    >
      {copied ? "Copied" : "Copy id"}
    </button>
  );
}
