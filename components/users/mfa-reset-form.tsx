"use client";

import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { inputClass } from "@/components/ui/styles";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

/** An owner resets a member's two-factor authentication after a lost device; their sessions end. */
export function MfaResetForm({ action, members }: { action: FormAction; members: { id: string; email: string }[] }) {
  const { state, pending, onSubmit } = useFormAction(action);
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" noValidate>
      <div className="flex flex-col gap-1">
        <label htmlFor="mfa-reset-user" className="text-sm font-medium">
          Member
        </label>
        <select id="mfa-reset-user" name="userId" className={inputClass} data-testid="mfa-reset-user">
          {members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.email}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" variant="danger" size="sm" disabled={pending || members.length === 0} data-testid="mfa-reset-submit">
        {pending ? "Resetting…" : "Reset two-factor authentication"}
      </Button>
      <div className="w-full">
        <FormMessage state={state} />
      </div>
    </form>
  );
}
