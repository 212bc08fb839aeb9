import { Forbidden } from "@/components/ui/forbidden";

/** Rendered with HTTP 403 wherever a page calls forbidden(). */
export default function ForbiddenPage() {
  return <Forbidden />;
}
