import { log } from "@/lib/log";

/** A failed AWS call, with the service's error name, HTTP status and request id kept for the record. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly operation: string,
    readonly httpStatus?: number,
    readonly requestId?: string,
  ) {
    super(`${operation}: ${code}: ${message}`);
    this.name = "AwsError";
  }
}

type SdkLikeError = {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
};

export function toAwsError(error: unknown, operation: string): AwsError {
  if (error instanceof AwsError) return error;
  const e = (error ?? {}) as SdkLikeError;
  const code = e.Code ?? e.name ?? "UnknownError";
  return new AwsError(code, e.message ?? String(error), operation, e.$metadata?.httpStatusCode, e.$metadata?.requestId);
}

export function isAwsError(error: unknown, ...codes: string[]): error is AwsError {
  return error instanceof AwsError && (codes.length === 0 || codes.includes(error.code));
}

/**
 * Runs one SDK call, logs it (operation, AWS request id, duration, and the customer context of
 * the work in progress) and rethrows any failure as an AwsError naming the operation.
 */
export async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    const out = await fn();
    const requestId = (out as { $metadata?: { requestId?: string } })?.$metadata?.requestId;
    log().info({ aws: operation, requestId, ms: Math.round(performance.now() - started) }, "aws call");
    return out;
  } catch (error) {
    const failure = toAwsError(error, operation);
    // Info, not warn: many failures are expected answers (NoSuchEntity before a create); the
    // caller logs what it cannot handle.
    log().info(
      { aws: operation, requestId: failure.requestId, ms: Math.round(performance.now() - started), code: failure.code, status: failure.httpStatus },
      "aws call failed",
    );
    throw failure;
  }
}
