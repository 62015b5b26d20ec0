import { useEffect, useId, useRef, useState } from 'react';

/**
 * What the console's confirmation dialogs share. They use the browser's own modal `<dialog>`
 * (`showModal`), not a hand-made overlay: the browser keeps the focus inside it, makes the page
 * behind it inert and closes it on Escape (the `cancel` event, which each dialog passes to its
 * `onCancel`). The dialog opens when it is mounted and closes when it is unmounted.
 *
 * `run` does the dialog's action: buttons are disabled (`busy`) while it runs, and if the API
 * refuses, its message is kept as `problem` (through `describe`, e.g. "Afvist: …") and the dialog
 * stays open so the person can read it, cancel or try again. On success the caller unmounts it.
 */
export function useModalDialog(describe: (message: string) => string = (message) => message) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const element = ref.current!;
    if (!element.open) element.showModal();
    return () => element.close();
  }, []);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      setProblem(describe((error as Error).message));
      setBusy(false);
    }
  }

  return { ref, titleId, problem, setProblem, busy, run };
}

/** The dialog's problem (a refusal or a missing field), announced as an alert; nothing while there is none. */
export function DialogProblem({ id, problem }: { id?: string; problem: string | undefined }) {
  if (!problem) return null;
  return (
    <p role="alert" className="error" id={id}>
      {problem}
    </p>
  );
}
