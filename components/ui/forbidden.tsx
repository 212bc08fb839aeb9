import Link from "next/link";
import { SignOutButton } from "./sign-out-button";
import { linkClass } from "./styles";

/** Full page for a signed-in user who opened an area their role does not cover. */
export function Forbidden() {
  return (
    <main id="main" className="mx-auto max-w-xl px-6 py-20">
      <p className="text-sm font-semibold text-slate-600 dark:text-slate-300">Error 403</p>
      <h1 className="mt-2 text-2xl font-bold">You do not have access to this page</h1>
      <p className="mt-4">
        Your account cannot open this area. If you think this is a mistake, ask your administrator, or sign in
        with another account.
      </p>
      <div className="mt-6 flex flex-wrap items-center gap-4">
        <Link href="/" className={linkClass}>
          Go to your start page
        </Link>
        <SignOutButton />
      </div>
    </main>
  );
}
