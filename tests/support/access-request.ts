import type { AccessRequest } from "@/lib/policy-evaluation";

/** Builds evaluator requests: a manifest read by `principalArn` from `resourceArn`, both in `accountId`, unless overridden. */
export function requestFactory(accountId: string, principalArn: string, resourceArn: string) {
  return (overrides: Partial<AccessRequest> = {}): AccessRequest => ({
    principalArn,
    principalAccountId: accountId,
    action: "ecr:BatchGetImage",
    resourceArn,
    resourceAccountId: accountId,
    ...overrides,
  });
}
