import { NextResponse } from "next/server";
import { auditCsvFilename, auditCsvStream } from "@/lib/audit/audit-csv";
import { auditQuerySchema } from "@/lib/audit/list-audit-events";
import { requireVendor } from "@/lib/auth/session";
import { toPublicError } from "@/lib/errors";
import { log } from "@/lib/log";
import { param } from "@/app/form-values";

export const dynamic = "force-dynamic";

/** Every event matching the audit log's filters, as a CSV download streamed in batches. */
export async function GET(req: Request) {
  try {
    await requireVendor();
  } catch (error) {
    const { status, body } = toPublicError(error);
    if (status >= 500) log().error({ err: error, url: req.url }, "audit export failed");
    return NextResponse.json(body, { status });
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
