import Link from "next/link";
import { linkClass } from "@/components/ui/styles";

export default function NotFound() {
  return (
    <main id="main" className="mx-auto max-w-xl px-6 py-20">
      <p className="text-sm font-semibold text-slate-600 dark:text-slate-300">Error 404</p>
      <h1 className="mt-2 text-2xl font-bold">Page not found</h1>
      <p className="mt-4">This page does not exist, or you do not have access to it.</p>
      <p className="mt-6">
        <Link href="/" className={linkClass}>
          Go to the start page
        </Link>
      </p>
    </main>
  );
}
