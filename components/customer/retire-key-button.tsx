"use client";

import { ConfirmAction } from "@/components/ui/confirm-action";
import type { FormAction } from "@/components/ui/use-form-action";

/** The customer's confirmation that no machine uses the previous key any more. */
export function RetireKeyButton({ accessKeyId, retire }: { accessKeyId: string; retire: FormAction }) {
  return (
    <ConfirmAction
      action={retire}
      triggerLabel="Retire now"
      confirmLabel="Yes, delete this key"
      prompt={`Key ${accessKeyId} stops working at once. Check its last use first: anything still using it loses access.`}
      triggerTestId={`retire-key-${accessKeyId}`}
      confirmTestId="confirm-retire-key"
    >
      <input type="hidden" name="accessKeyId" value={accessKeyId} />
    </ConfirmAction>
  );
}
