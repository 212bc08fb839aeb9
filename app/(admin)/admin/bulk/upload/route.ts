import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/api/error-response";
import { requireVendorWriter, userActor } from "@/lib/auth/session";
import { CSV_TOO_LARGE, MAX_BULK_FORM_BYTES, MAX_CSV_BYTES } from "@/lib/bulk/bulk-terms";
import { createBulkOperation } from "@/lib/bulk/create-bulk-operation";
import { readBoundedForm } from "@/lib/http/bounded-form";
import { readBoundedText } from "@/lib/http/bounded-body";
import { assertSameOrigin } from "@/lib/http/same-origin";
import { text, utcDate } from "@/app/form-values";

export const dynamic = "force-dynamic";

/**
 * The bulk form's submission. A route rather than a server action: a CSV may be 10 MB, while every
 * server action is held to 1 MB (proxy.ts), and here the size is refused with a 413 as it arrives.
 */
export async function POST(req: Request) {
  try {
    // Who may and where from, before a byte of the body is read.
    const user = await requireVendorWriter();
    assertSameOrigin(req);
    const form = await readBoundedForm(req, MAX_BULK_FORM_BYTES, CSV_TOO_LARGE);
    const file = form.get("csv");
    const { operation } = await createBulkOperation({
      actor: userActor(user),
      input: {
        kind: text(form, "kind") ?? "",
        expiresAt: utcDate(form, "expiresAt"),
        reason: text(form, "reason"),
        ids: text(form, "ids"),
        // A file input left empty still sends an empty, nameless file.
        csv: file instanceof File && file.size > 0 ? await readBoundedText(file, MAX_CSV_BYTES, CSV_TOO_LARGE) : undefined,
      },
    });
    return NextResponse.json({ id: operation.id }, { status: 201 });
  } catch (error) {
    return errorResponse(error, { during: "bulk upload", url: req.url });
  }
}
