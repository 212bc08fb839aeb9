import { NextResponse } from "next/server";
import { requireVendor } from "@/lib/auth/session";
import { bulkResultsCsv, bulkResultsFilename } from "@/lib/bulk/results-csv";
import { AppError, toPublicError } from "@/lib/errors";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

/** Every item of a bulk action with its outcome, as a CSV download. */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    await requireVendor();
    const { id } = await params;
    const csv = await bulkResultsCsv(id);
    if (csv === null) throw new AppError("NOT_FOUND", "Bulk action not found");
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8; header=present",
        "content-disposition": `attachment; filename="${bulkResultsFilename(id)}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    const { status, body } = toPublicError(error);
    if (status >= 500) log().error({ err: error, url: req.url }, "bulk results download failed");
    return NextResponse.json(body, { status });
  }
}
