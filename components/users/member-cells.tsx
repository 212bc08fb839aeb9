import { Badge } from "@/components/ui/badge";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { Td } from "@/components/ui/data-table";
import type { FormAction } from "@/components/ui/use-form-action";

// Cells shared by the user lists of the vendor team and of a customer's organisation.

export function MemberEmailCell({ email, self }: { email: string; self: boolean }) {
  return (
    <Td>
      {email} {self && <Badge tone="blue">you</Badge>}
    </Td>
  );
}

/** Removing yourself is refused by the use case, so the control is not offered: another owner does it. */
export function RemoveMemberCell({ email, self, action, area }: { email: string; self: boolean; action: FormAction; area: string }) {
  return (
    <Td>
      {!self && (
        <ConfirmAction
          action={action}
          triggerLabel={`Remove ${email}`}
          confirmLabel="Yes, remove"
          prompt={`${email} loses access to ${area} at once, including any session they have open.`}
        />
      )}
    </Td>
  );
}
