import type { ReactNode } from "react";

/** The frame of the sign-in pages: brand, one heading, then the page's forms. */
export function AuthShell({ title = "Sign in", description, children }: { title?: string; description?: string; children: ReactNode }) {
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-6 px-6 py-12">
      <div>
        <p className="text-lg font-bold text-indigo-700 dark:text-indigo-300">Pullgate</p>
        <h1 className="mt-2 text-2xl font-bold">{title}</h1>
        {description && <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">{description}</p>}
      </div>
      {children}
    </main>
  );
}
