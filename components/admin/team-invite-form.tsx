"use client";

import { Button } from "@/components/ui/button";
import { FormField, SelectField } from "@/components/ui/form-field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import type { RoleOption } from "@/lib/users/roles";

type Props = { action: FormAction; roles: RoleOption[]; defaultRole: RoleOption["value"] };

/** Invites a user by email: a vendor team member on the team page, a customer user on a customer's page. */
export function UserInviteForm({ action, roles, defaultRole }: Props) {
  const { state, pending, onSubmit, formRef } = useFormAction(action, { resetOnSuccess: true });
  return (
    <div className="space-y-3">
      <form ref={formRef} onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[2fr_2fr_1fr_auto] lg:items-start" noValidate>
        <FormField label="Email" name="email" type="email" autoComplete="off" required error={fieldError(state, "email")} />
        <FormField label="Name (optional)" name="name" autoComplete="off" error={fieldError(state, "name")} />
        <SelectField label="Role" name="role" defaultValue={defaultRole} error={fieldError(state, "role")}>
          {roles.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </SelectField>
        <div className="lg:pt-6">
          <Button type="submit" disabled={pending}>
            {pending ? "Inviting…" : "Send invitation"}
          </Button>
        </div>
      </form>
      <FormMessage state={state} />
    </div>
  );
}
