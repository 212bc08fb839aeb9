"use client";

import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { focusRing } from "@/components/ui/styles";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

/** An owner's switch: everyone in the team must use two-factor authentication. */
export function MfaRuleForm({ action, required, who }: { action: FormAction; required: boolean; who: string }) {
  const { state, pending, onSubmit } = useFormAction(action);
  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="requireMfa" defaultChecked={required} className={focusRing} data-testid="mfa-rule" />
        Require two-factor authentication for {who}
      </label>
      <FormMessage state={state} />
      <Button type="submit" variant="secondary" size="sm" disabled={pending} data-testid="mfa-rule-submit">
        {pending ? "Saving…" : "Save"}
      </Button>
    </form>
  );
}
