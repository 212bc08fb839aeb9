"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import type { ActionResult } from "@/lib/actions/action-result";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";

async function signInWithPassword(formData: FormData): Promise<ActionResult> {
  const email = String(formData.get("email") ?? "").trim();
  const password = String(formData.get("password") ?? "");
  if (!email || !password) return { ok: false, error: "Enter your email and password." };
  try {
    const res = await signIn("password", { email, password, redirect: false });
    if (!res || res.error || !res.ok) return { ok: false, error: "That email and password do not match an account, or too many attempts locked password sign-in for 15 minutes (an emailed link still works)." };
  } catch {
    return { ok: false, error: "Could not reach the server. Check your connection and try again." };
  }
  return { ok: true, message: "Signed in. Opening your page…" };
}

export function PasswordForm({ initialError }: { initialError?: string }) {
  const router = useRouter();
  const { state, pending, onSubmit } = useFormAction(async (_prev: ActionResult | null, formData: FormData) => {
    const result = await signInWithPassword(formData);
    // "/" sends each role to its own area.
    if (result.ok) router.replace("/");
    return result;
  });
  const shown = state ?? (initialError ? { ok: false as const, error: initialError } : null);
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormField label="Email" name="email" id="login-email" type="email" autoComplete="username" required data-testid="login-email" />
      <FormField
        label="Password"
        name="password"
        id="login-password"
        type="password"
        autoComplete="current-password"
        required
        data-testid="login-password"
      />
      <FormMessage state={shown} />
      <Button type="submit" disabled={pending} data-testid="login-submit" className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
