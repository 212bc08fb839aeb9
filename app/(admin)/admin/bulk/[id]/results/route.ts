import { errorResponse } from "@/lib/api/error-response";
import { requireVendor } from "@/lib/auth/session";
import { bulkResultsCsv, bulkResultsFilename } from "@/lib/bulk/results-csv";
import { AppError } from "@/lib/errors";

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
    return errorResponse(error, { during: "bulk results download", url: req.url });
  }
}
