import { Forbidden } from "@/components/ui/forbidden";
import { isVendor } from "@/lib/auth/roles";
import { currentUser } from "@/lib/auth/session";

/** Rendered with HTTP 403 wherever a page calls forbidden(). */
export default async function ForbiddenPage() {
  const user = await currentUser();
  const vendor = user ? isVendor(user.role) : false;
  return (
    <Forbidden
      email={user?.email ?? "an unknown account"}
      homeHref={vendor ? "/admin" : "/portal"}
      homeLabel={vendor ? "Go to the admin area" : "Go to your downloads"}
    />
  );
}
