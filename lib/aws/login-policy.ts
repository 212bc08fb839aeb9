import type { AwsAccount } from "./partition";
import { carriesManagedTag } from "./managed-mark";
import { PULL_ACTIONS } from "./pull-policy";

// The two customer-managed policies every customer user carries: the login policy (attached) and
// the permissions boundary (set at CreateUser). The boundary caps the user at registry login and
// pulls from the repositories the vendor marked as Pullgate's, whatever else anyone attaches to it later.
const LOGIN_ACTION = "ecr:GetAuthorizationToken";

export function loginPolicyDocument() {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "RegistryLogin", Effect: "Allow", Action: LOGIN_ACTION, Resource: "*" }],
  };
}

export function boundaryPolicyDocument({ partition }: Pick<AwsAccount, "partition">) {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "RegistryLogin", Effect: "Allow", Action: LOGIN_ACTION, Resource: "*" },
      {
        Sid: "PullVendorImages",
        Effect: "Allow",
        Action: PULL_ACTIONS,
        // In any of the vendor's accounts, so adding one needs no new boundary on every user; but
        // only repositories the vendor marked as Pullgate's, whatever a user's own policies say.
        Resource: `arn:${partition}:ecr:*:*:repository/*`,
        Condition: { StringEquals: carriesManagedTag() },
      },
    ],
  };
}

export const LOGIN_POLICY_ACTIONS = [LOGIN_ACTION];
export const BOUNDARY_POLICY_ACTIONS = [LOGIN_ACTION, ...PULL_ACTIONS];

/** True when the document only allows actions from `allowed` (and allows something). */
export function allowsOnly(document: unknown, allowed: string[]): boolean {
  const permitted = new Set(allowed.map((a) => a.toLowerCase()));
  const statement = (document as { Statement?: unknown })?.Statement;
  const statements = Array.isArray(statement) ? statement : statement ? [statement] : [];
  return (
    statements.length > 0 &&
    statements.every((s: Record<string, unknown>) => {
      const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
      const known = actions.every((a) => typeof a === "string" && permitted.has(a.toLowerCase()));
      return s.Effect === "Allow" && known && !("NotAction" in s) && !("NotResource" in s);
    })
  );
}
