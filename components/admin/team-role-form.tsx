"use client";

import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { inputClass } from "@/components/ui/styles";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import type { RoleOption } from "@/lib/users/roles";

type Props = { action: FormAction; member: { id: string; email: string; role: RoleOption["value"] }; roles: RoleOption[] };

/** A team member's role, changed in place; the label is for screen readers, the column header names it for everyone else. */
export function TeamRoleForm({ action, member, roles }: Props) {
  const { state, pending, onSubmit } = useFormAction(action);
  const id = `role-${member.id}`;
  return (
    <form onSubmit={onSubmit} className="space-y-2">
      <div className="flex items-center gap-2">
        <label htmlFor={id} className="sr-only">
          Role of {member.email}
        </label>
        <div className="w-48">
          <select id={id} name="role" defaultValue={member.role} className={inputClass}>
            {roles.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="secondary" size="sm" disabled={pending}>
          {pending ? "Saving…" : "Change"}
          <span className="sr-only"> role of {member.email}</span>
        </Button>
      </div>
      <FormMessage state={state} />
    </form>
  );
}
