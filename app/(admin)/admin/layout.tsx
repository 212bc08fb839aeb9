import Link from "next/link";
import { forbidden, redirect } from "next/navigation";
import { AdminNav } from "@/components/admin/admin-nav";
import { SignOutButton } from "@/components/ui/sign-out-button";
import { SignOutEverywhereButton } from "@/components/ui/sign-out-everywhere-button";
import { signOutEverywhereAction } from "@/app/(auth)/account-actions";
import { SkipLink } from "@/components/ui/skip-link";
import { focusRing } from "@/components/ui/styles";
import { isVendor } from "@/lib/auth/roles";
import { currentUser, signInPath } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

const roleLabel: Record<string, string> = {
  VENDOR_OWNER: "Owner",
  VENDOR_ADMIN: "Admin",
  VENDOR_VIEWER: "Viewer (read-only)",
};

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await currentUser();
  if (!user) redirect(await signInPath());
  if (!isVendor(user.role)) forbidden();

  return (
    <>
      <SkipLink />
      <header className="border-b border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-4 px-6 py-3">
          <Link href="/admin" className={`text-lg font-bold text-indigo-700 dark:text-indigo-300 ${focusRing}`}>
            Pullgate <span className="text-sm font-medium text-slate-600 dark:text-slate-300">admin</span>
          </Link>
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <span>
              {user.email} <span className="text-slate-600 dark:text-slate-300">· {roleLabel[user.role] ?? user.role}</span>
            </span>
            <Link href="/account/security" className={`underline ${focusRing}`}>
              Security
            </Link>
            <SignOutButton />
            <SignOutEverywhereButton action={signOutEverywhereAction} />
          </div>
        </div>
        <div className="mx-auto max-w-7xl px-6">
          <AdminNav />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl space-y-8 px-6 py-8">
        {children}
      </main>
    </>
  );
}
