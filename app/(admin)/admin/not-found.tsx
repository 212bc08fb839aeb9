import Link from "next/link";
import { linkClass } from "@/components/ui/styles";

export default function AdminNotFound() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Not found</h1>
      <p>There is nothing at this address. It may have been mistyped.</p>
      <Link href="/admin" className={linkClass}>
        Back to the overview
      </Link>
    </div>
  );
}
