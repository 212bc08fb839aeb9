"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import { Button, type ButtonVariant } from "./button";
import { FormMessage } from "./form-message";
import { useFormAction, type FormAction } from "./use-form-action";

type Props = {
  action: FormAction;
  triggerLabel: string;
  confirmLabel: string;
  prompt: ReactNode;
  variant?: ButtonVariant;
  triggerTestId?: string;
  confirmTestId?: string;
  /** Extra inputs shown in the confirm step (e.g. a reason). */
  children?: ReactNode;
};

/** A destructive action that needs a second, explicit click. */
export function ConfirmAction({ action, triggerLabel, confirmLabel, prompt, variant = "danger", triggerTestId, confirmTestId, children }: Props) {
  const [confirming, setConfirming] = useState(false);
  const { state, pending, onSubmit } = useFormAction(action);
  const promptRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (confirming) promptRef.current?.focus();
  }, [confirming]);

  if (!confirming) {
    return (
      <div className="space-y-2">
        <Button variant={variant} data-testid={triggerTestId} onClick={() => setConfirming(true)}>
          {triggerLabel}
        </Button>
        <FormMessage state={state} />
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3 rounded-md border border-red-300 bg-red-50 p-4 dark:border-red-400 dark:bg-red-950">
      <p ref={promptRef} tabIndex={-1} className="text-sm font-medium text-red-900 dark:text-red-100">
        {prompt}
      </p>
      {children}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant={variant} disabled={pending} data-testid={confirmTestId}>
          {pending ? "Working…" : confirmLabel}
        </Button>
        <Button variant="secondary" disabled={pending} onClick={() => setConfirming(false)}>
          Cancel
        </Button>
      </div>
      <FormMessage state={state} />
    </form>
  );
}
