import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { SecondFactorForm } from "@/components/auth/second-factor-form";
import { Card } from "@/components/ui/card";
import { SignOutButton } from "@/components/ui/sign-out-button";
import { currentUser, pendingSecondFactor, signInPath } from "@/lib/auth/session";
import { verifySecondFactorAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Two-step sign-in" };

export default async function SecondFactorPage() {
  if (await currentUser()) redirect("/");
  const pending = await pendingSecondFactor();
  if (pending?.pending !== "verify") redirect(await signInPath());

  return (
    <AuthShell title="Two-step sign-in" description={`Signed in as ${pending.user.email}. Confirm it is you.`}>
      <Card>
        <SecondFactorForm action={verifySecondFactorAction} />
      </Card>
      <div>
        <SignOutButton />
      </div>
    </AuthShell>
  );
}
