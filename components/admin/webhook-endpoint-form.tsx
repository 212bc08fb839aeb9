"use client";

import { Button } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code-block";
import { FormField } from "@/components/ui/form-field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/event-types";

export function WebhookEndpointForm({ action }: { action: FormAction<{ url: string; secret: string }> }) {
  const { state, pending, onSubmit, formRef } = useFormAction(action, { resetOnSuccess: true });
  const created = state?.ok ? state.data : undefined;
  const typesError = fieldError(state, "eventTypes");
  return (
    <div className="space-y-4">
      <form ref={formRef} onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Add a webhook endpoint">
        <FormField
          label="URL"
          name="url"
          type="url"
          required
          hint="A public https:// address of yours that accepts POST requests."
          error={fieldError(state, "url")}
        />
        <fieldset className="space-y-2" aria-describedby={typesError ? "webhook-types-error" : undefined}>
          <legend className="text-sm font-medium">Events</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="scope" value="all" defaultChecked /> All events, including types added later
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="scope" value="chosen" /> Only these:
          </label>
          <div className="flex flex-wrap gap-x-4 gap-y-1 pl-6">
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label key={type} className="flex items-center gap-2 font-mono text-xs">
                <input type="checkbox" name="eventTypes" value={type} /> {type}
              </label>
            ))}
          </div>
          {typesError && (
            <p id="webhook-types-error" className="text-sm font-medium text-red-700 dark:text-red-300">
              {typesError}
            </p>
          )}
        </fieldset>
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add endpoint"}
        </Button>
      </form>
      <FormMessage state={state} />
      {created && (
        <div role="alert" className="space-y-3 rounded-md border border-amber-400 bg-amber-50 p-4 text-amber-950 dark:border-amber-300 dark:bg-amber-950 dark:text-amber-50">
          <p className="font-semibold">Copy the signing secret for {created.url} now. It is shown only this once.</p>
          <CodeBlock text={created.secret} what="webhook signing secret" testId="new-webhook-secret" />
        </div>
      )}
    </div>
  );
}
