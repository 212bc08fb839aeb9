"use client";

import { FormMessage } from "@/components/ui/form-message";
import { focusRing, mutedText } from "@/components/ui/styles";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

type Props = {
  action: FormAction;
  on: boolean;
  /** The team's provider is enabled and has signed someone in: only then can it become the only way in. */
  available: boolean;
};

/** An owner's switch, saved when pressed: staff below owner sign in through the team's identity provider only. */
export function SsoOnlyForm({ action, on, available }: Props) {
  const { state, pending, onSubmit } = useFormAction(action);
  // Turning it off is always possible; turning it on waits for a working provider.
  const locked = !available && !on;
  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate>
      <input type="hidden" name="ssoOnly" value={on ? "off" : "on"} />
      <button
        type="submit"
        role="switch"
        aria-checked={on}
        disabled={pending || locked}
        aria-describedby={locked ? "sso-only-locked" : undefined}
        className={`flex items-center gap-3 rounded-md text-left text-sm disabled:cursor-not-allowed disabled:opacity-60 ${focusRing}`}
        data-testid="sso-only-toggle"
      >
        <span
          aria-hidden="true"
          className={`relative inline-flex h-6 w-11 shrink-0 items-center rounded-full border border-slate-500 transition-colors ${on ? "bg-indigo-700 dark:bg-indigo-500" : "bg-slate-200 dark:bg-slate-700"}`}
        >
          <span className={`inline-block h-4 w-4 rounded-full bg-white shadow ring-1 ring-slate-500 transition-transform ${on ? "translate-x-6" : "translate-x-1"}`} />
        </span>
        <span>Sign in through SSO only (owners keep password, link and passkey as a break-glass path)</span>
      </button>
      {locked && (
        <p id="sso-only-locked" className={`text-sm ${mutedText}`}>
          Available once single sign-on is enabled and someone has signed in through it, so a provider that does not work cannot lock the team out.
        </p>
      )}
      <FormMessage state={state} />
    </form>
  );
}
