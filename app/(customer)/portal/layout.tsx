import Link from "next/link";
import { forbidden, redirect } from "next/navigation";
import { PortalNav } from "@/components/customer/portal-nav";
import { SignOutButton } from "@/components/ui/sign-out-button";
import { SignOutEverywhereButton } from "@/components/ui/sign-out-everywhere-button";
import { SkipLink } from "@/components/ui/skip-link";
import { focusRing } from "@/components/ui/styles";
import { isCustomer } from "@/lib/auth/roles";
import { currentUser, signInPath } from "@/lib/auth/session";
import { signOutEverywhereAction } from "@/app/(auth)/account-actions";

export const dynamic = "force-dynamic";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const user = await currentUser();
  if (!user) redirect(await signInPath());
  if (!isCustomer(user.role) || !user.customerId) forbidden();

  return (
    <>
      <SkipLink />
      <header className="border-b border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-4 px-6 py-3">
          <p className="text-lg font-bold text-indigo-700 dark:text-indigo-300">Pullgate</p>
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <span className="break-all">{user.email}</span>
            <Link href="/account/security" className={`underline ${focusRing}`}>
              Security
            </Link>
            <SignOutButton />
            <SignOutEverywhereButton action={signOutEverywhereAction} />
          </div>
        </div>
        <div className="mx-auto max-w-5xl px-6">
          <PortalNav />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-5xl space-y-10 px-6 py-8">
        {children}
      </main>
    </>
  );
}
