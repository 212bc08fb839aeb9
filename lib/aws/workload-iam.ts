import "server-only";
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  DeleteOpenIDConnectProviderCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  ListOpenIDConnectProvidersCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { call, isAwsError } from "./aws-error";
import { iamClient } from "./clients";
import { getRoleInlinePolicy, listRoleInlinePolicyNames } from "./iam";
import { MANAGED_TAG } from "./managed-mark";
import { WORKLOAD_SESSION_SECONDS, workloadRoleName } from "./workload-role";

// The IAM side of workload identity federation: each customer's role, and the account's OIDC
// providers its workloads' issuers need. Every call reads or changes only what carries Pullgate's
// mark, which the portal's policy enforces too.

const isMissing = (error: unknown) => isAwsError(error, "NoSuchEntity", "NoSuchEntityException");
const marked = (tags: { Key?: string; Value?: string }[] | undefined) => (tags ?? []).some((t) => t.Key === MANAGED_TAG.key && t.Value === MANAGED_TAG.value);
const decoded = (document: string | undefined) => (document ? (JSON.parse(decodeURIComponent(document)) as unknown) : null);

export type WorkloadRoleState = { arn: string; trustPolicy: unknown; marked: boolean; policyNames: string[] };

/** The customer's role as IAM holds it, or null when there is none. */
export async function readWorkloadRole(customerId: string): Promise<WorkloadRoleState | null> {
  const RoleName = workloadRoleName(customerId);
  try {
    const out = await call("iam:GetRole", () => iamClient().send(new GetRoleCommand({ RoleName })));
    const policyNames = await listRoleInlinePolicyNames(RoleName);
    return { arn: out.Role!.Arn!, trustPolicy: decoded(out.Role!.AssumeRolePolicyDocument), marked: marked(out.Role!.Tags), policyNames };
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** Creates the role under the path, capped by the boundary and carrying the mark (its only way to be changed later). */
export async function createWorkloadRole(customerId: string, opts: { path: string; boundaryArn: string; trustPolicy: object }) {
  const out = await call("iam:CreateRole", () =>
    iamClient().send(
      new CreateRoleCommand({
        RoleName: workloadRoleName(customerId),
        Path: opts.path,
        AssumeRolePolicyDocument: JSON.stringify(opts.trustPolicy),
        PermissionsBoundary: opts.boundaryArn,
        MaxSessionDuration: WORKLOAD_SESSION_SECONDS,
        Description: "Pullgate: a customer's workloads pull its images with this role (OIDC federation)",
        Tags: [{ Key: MANAGED_TAG.key, Value: MANAGED_TAG.value }],
      }),
    ),
  );
  return out.Role!.Arn!;
}

export async function updateWorkloadTrust(customerId: string, trustPolicy: object) {
  await call("iam:UpdateAssumeRolePolicy", () =>
    iamClient().send(new UpdateAssumeRolePolicyCommand({ RoleName: workloadRoleName(customerId), PolicyDocument: JSON.stringify(trustPolicy) })),
  );
}

export async function readWorkloadPolicy(customerId: string, policyName: string): Promise<unknown> {
  return getRoleInlinePolicy(workloadRoleName(customerId), policyName);
}

export async function putWorkloadPolicy(customerId: string, policyName: string, document: object) {
  await call("iam:PutRolePolicy", () =>
    iamClient().send(new PutRolePolicyCommand({ RoleName: workloadRoleName(customerId), PolicyName: policyName, PolicyDocument: JSON.stringify(document) })),
  );
}

/** Deletes the role and its inline policies; a role already gone counts as done. */
export async function deleteWorkloadRole(customerId: string, policyNames: string[]) {
  const RoleName = workloadRoleName(customerId);
  try {
    for (const PolicyName of policyNames) {
      await call("iam:DeleteRolePolicy", () => iamClient().send(new DeleteRolePolicyCommand({ RoleName, PolicyName })));
    }
    await call("iam:DeleteRole", () => iamClient().send(new DeleteRoleCommand({ RoleName })));
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

/** Every OIDC provider of the account, by ARN: what counts against IAM's quota. */
export async function listOidcProviderArns(): Promise<string[]> {
  const out = await call("iam:ListOpenIDConnectProviders", () => iamClient().send(new ListOpenIDConnectProvidersCommand({})));
  return (out.OpenIDConnectProviderList ?? []).map((p) => p.Arn!);
}

export type OidcProviderState = { clientIds: string[]; marked: boolean };

export async function readOidcProvider(arn: string): Promise<OidcProviderState | null> {
  try {
    const out = await call("iam:GetOpenIDConnectProvider", () => iamClient().send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })));
    return { clientIds: out.ClientIDList ?? [], marked: marked(out.Tags) };
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** A provider for the issuer, accepting these audiences; IAM fetches the issuer's keys itself (no thumbprint needed). */
export async function createOidcProvider(issuerUrl: string, clientIds: string[]) {
  const out = await call("iam:CreateOpenIDConnectProvider", () =>
    iamClient().send(new CreateOpenIDConnectProviderCommand({ Url: issuerUrl, ClientIDList: clientIds, Tags: [{ Key: MANAGED_TAG.key, Value: MANAGED_TAG.value }] })),
  );
  return out.OpenIDConnectProviderArn!;
}

export async function addOidcClientId(arn: string, clientId: string) {
  await call("iam:AddClientIDToOpenIDConnectProvider", () =>
    iamClient().send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: clientId })),
  );
}

/** Deletes a provider no customer uses any more; one already gone counts as done. */
export async function deleteOidcProvider(arn: string) {
  try {
    await call("iam:DeleteOpenIDConnectProvider", () => iamClient().send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })));
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}
