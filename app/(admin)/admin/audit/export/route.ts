import { errorResponse } from "@/lib/api/error-response";
import { auditCsvFilename, auditCsvStream } from "@/lib/audit/audit-csv";
import { auditQuerySchema } from "@/lib/audit/list-audit-events";
import { requireVendor } from "@/lib/auth/session";
import { param } from "@/app/form-values";

export const dynamic = "force-dynamic";

/** Every event matching the audit log's filters, as a CSV download streamed in batches. */
export async function GET(req: Request) {
  try {
    await requireVendor();
  } catch (error) {
    return errorResponse(error, { during: "audit export", url: req.url });
  }
  const params = new URL(req.url).searchParams;
  const filters = auditQuerySchema.parse(Object.fromEntries([...params.keys()].map((k) => [k, param(params.get(k) ?? undefined)])));
  return new Response(auditCsvStream(filters), {
    headers: {
      "content-type": "text/csv; charset=utf-8; header=present",
      "content-disposition": `attachment; filename="${auditCsvFilename(new Date())}"`,
      "cache-control": "no-store",
    },
  });
}
