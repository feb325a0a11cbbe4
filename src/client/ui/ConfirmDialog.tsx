import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from "react";

export interface ConfirmOptions {
  /** The question, e.g. "Disable ada@example.com?". */
  title: string;
  /** What will happen, in a sentence or two. */
  body?: ReactNode;
  /** The confirm button names the action ("Refund $15.00", "Disable account"), never "OK". */
  confirmLabel: string;
  cancelLabel?: string;
  /** Destructive actions get the danger style. */
  danger?: boolean;
}

interface ConfirmDialogProps extends ConfirmOptions {
  /** Called once: true when confirmed, false when cancelled (button, Escape). */
  onClose(confirmed: boolean): void;
}

/**
 * An accessible confirmation (decision 0024): the native `<dialog>` opened with showModal(),
 * so the browser makes the rest of the page inert (focus stays inside), Escape cancels, and the
 * focus returns to the button that opened it. The focus starts on Cancel: a stray Enter does
 * nothing destructive.
 */
export function ConfirmDialog({ title, body, confirmLabel, cancelLabel, danger, onClose }: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const closed = useRef(false);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (!element.open) element.showModal();
    cancel.current?.focus();
    return () => {
      if (element.open) element.close();
    };
  }, []);

  const finish = (confirmed: boolean) => {
    if (closed.current) return;
    closed.current = true;
    dialog.current?.close();
    onClose(confirmed);
  };

  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-labelledby={titleId}
      aria-describedby={body ? bodyId : undefined}
      data-testid="confirm-dialog"
      // Escape fires "cancel", then the browser closes the dialog.
      onCancel={() => finish(false)}
      onClose={() => finish(false)}
    >
      <h2 id={titleId}>{title}</h2>
      {body ? (
        <div id={bodyId} className="confirm-body">
          {body}
        </div>
      ) : null}
      <div className="form-actions">
        <button type="button" ref={cancel} onClick={() => finish(false)}>
          {cancelLabel ?? "Cancel"}
        </button>
        <button type="button" className={danger ? "danger" : "primary"} onClick={() => finish(true)}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

interface PendingConfirm extends ConfirmOptions {
  resolve(confirmed: boolean): void;
}

/**
 * `const { confirm, dialog } = useConfirm()`: render `dialog`, then
 * `if (await confirm({...})) act()`. One question at a time per component.
 */
export function useConfirm() {
  const [pending, setPending] = useState<PendingConfirm | null>(null);
  const confirm = useCallback(
    (options: ConfirmOptions) =>
      new Promise<boolean>((resolve) => {
        setPending({ ...options, resolve });
      }),
    [],
  );
  const dialog = pending ? (
    <ConfirmDialog
      {...pending}
      onClose={(confirmed) => {
        setPending(null);
        pending.resolve(confirmed);
      }}
    />
  ) : null;
  return { confirm, dialog };
}
