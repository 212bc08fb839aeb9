import { AppError, type AppErrorCode } from "@/lib/errors";
import { SSO_FAILURES, type SsoFailureCode } from "./sso-failure-messages";

/** A sign-in through a provider that failed in a way the sign-in page explains. */
export class SsoFailure extends AppError {
  constructor(
    readonly failure: SsoFailureCode,
    code: AppErrorCode = "FORBIDDEN",
  ) {
    super(code, SSO_FAILURES[failure]);
  }
}
