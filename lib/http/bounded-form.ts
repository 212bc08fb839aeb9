import { AppError } from "@/lib/errors";
import { readBoundedBytes } from "./bounded-body";

/**
 * A multipart or URL-encoded form body, read bounded (readBoundedBytes) before it is parsed, so a
 * large upload is refused as its bytes arrive rather than after the platform buffered it whole.
 */
export async function readBoundedForm(req: Request, limitBytes: number, tooLarge?: string): Promise<FormData> {
  const bytes = await readBoundedBytes(req, limitBytes, tooLarge);
  try {
    return await new Response(bytes, { headers: { "content-type": req.headers.get("content-type") ?? "" } }).formData();
  } catch {
    throw new AppError("INVALID_INPUT", "Send the form as multipart/form-data");
  }
}
