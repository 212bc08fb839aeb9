import { redirect } from "next/navigation";
import { currentUser, signInPath } from "@/lib/auth/session";
import { isCustomer, isVendor } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

/** Sends everyone to the area their role belongs to. */
export default async function Home() {
  const user = await currentUser();
  if (user && isVendor(user.role)) redirect("/admin");
  if (user && isCustomer(user.role)) redirect("/portal");
  redirect(await signInPath());
}
