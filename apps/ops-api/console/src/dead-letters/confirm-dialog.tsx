import { useEffect, useRef } from 'preact/hooks';

export interface Confirmation {
  title: string;
  /** What will happen, in the operator's words: the dialog's body. */
  consequence: string;
  action: string;
  danger?: boolean;
  run: () => Promise<void>;
}

/** A modal dialog (the browser's own: focus moves in, Escape cancels) naming what the action will do. */
export function ConfirmDialog({
  confirmation,
  onClose,
}: {
  confirmation: Confirmation;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} aria-labelledby="confirm-title" aria-describedby="confirm-body" onClose={onClose}>
      <h2 id="confirm-title">{confirmation.title}</h2>
      <p id="confirm-body">{confirmation.consequence}</p>
      <div class="toolbar">
        <button
          type="button"
          class={confirmation.danger ? 'danger' : undefined}
          onClick={async () => {
            dialog.current?.close();
            await confirmation.run();
          }}
        >
          {confirmation.action}
        </button>
        <button type="button" class="secondary" autofocus onClick={() => dialog.current?.close()}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
