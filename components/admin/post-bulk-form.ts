import type { ActionResult } from "@/lib/actions/action-result";
import { formFailure } from "@/lib/actions/form-failure";
import type { FieldError } from "@/lib/errors";

/** Where the bulk form goes: a route, since its CSV may be larger than a server action may carry. */
export const BULK_UPLOAD_PATH = "/admin/bulk/upload";

type Answer = { id?: string; error?: { message: string; details?: FieldError[] } };

/** Sends the bulk form and answers as a server action would, for useFormAction. */
export async function postBulkForm(_prev: ActionResult<{ id: string }> | null, formData: FormData): Promise<ActionResult<{ id: string }>> {
  let response: Response;
  try {
    response = await fetch(BULK_UPLOAD_PATH, { method: "POST", body: formData });
  } catch {
    return formFailure("Pullgate could not be reached; check your connection and try again.");
  }
  const answer = (await response.json().catch(() => ({}))) as Answer;
  if (response.ok && answer.id) return { ok: true, data: { id: answer.id } };
  return formFailure(answer.error?.message ?? `The bulk action could not be started (HTTP ${response.status}).`, answer.error?.details);
}
