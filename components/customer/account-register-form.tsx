"use client";

import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

export function AccountRegisterForm({ action }: { action: FormAction }) {
  const { state, pending, onSubmit, formRef } = useFormAction(action, { resetOnSuccess: true });
  return (
    <div className="space-y-3">
      <form ref={formRef} onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" noValidate>
        <FormField
          label="AWS account id"
          name="accountId"
          inputMode="numeric"
          autoComplete="off"
          placeholder="123456789012"
          hint="12 digits, as shown in your AWS console's account menu."
          required
          error={fieldError(state, "accountId")}
        />
        <Button type="submit" disabled={pending} data-testid="register-account">
          {pending ? "Registering…" : "Register account"}
        </Button>
      </form>
      <FormMessage state={state} />
    </div>
  );
}
