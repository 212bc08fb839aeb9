"use client";

import { useActionState, useEffect, useRef, type ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { FormAction } from "@/components/ui/use-form-action";

/**
 * One form around the dead-letter table: each row's Retry button submits its job id. The outcome
 * shows above the table, so it stays on screen (and focus has somewhere to go) after the retried
 * row leaves the table.
 */
export function DeadLetterRetryForm({ action, children }: { action: FormAction; children: ReactNode }) {
  const [state, dispatch] = useActionState(action, null);
  const messageRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (state && (!document.activeElement || document.activeElement === document.body)) messageRef.current?.focus();
  }, [state]);

  return (
    <form action={dispatch} className="space-y-3">
      <div ref={messageRef} tabIndex={-1} className="space-y-2">
        <FormMessage state={state} />
      </div>
      {children}
    </form>
  );
}

/** `what` completes the button's name for screen readers: "Retry the reconcile of Acme Corp". */
export function RetryJobButton({ id, what }: { id: string; what: string }) {
  const { pending, data } = useFormStatus();
  const mine = pending && data?.get("id") === id;
  return (
    <Button type="submit" name="id" value={id} variant="secondary" size="sm" disabled={pending} data-testid="retry-dead-letter">
      {mine ? "Retrying…" : "Retry"}
      <span className="sr-only"> {what}</span>
    </Button>
  );
}
