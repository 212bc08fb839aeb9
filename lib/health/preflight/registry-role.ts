// The registry-account run's own checks: the role the account gives the portal exists where the
// portal assumes it, trusts the portal alone, may do exactly what registry-role.ts asks and none
// of what it must not; and the portal's settings name the account.
import type { AdministratorClients } from "@/lib/aws/administrator-clients";
import { getRole } from "@/lib/aws/iam";
import type { AwsAccount } from "@/lib/aws/partition";
import { registryRoleArn, registryRolePolicyDocument, registryRoleTrustPolicy } from "@/lib/aws/registry-role";
import { IAM_PATH_PARAMETER, REGISTRY_ROLE_NAME_PARAMETER } from "@/lib/aws/template-documents";
import { matchesActionPattern } from "@/lib/policy-evaluation/wildcard";
import { mustAllowChecks, repositoryMustDenyChecks } from "./portal-permission-checks";
import { simulateChecks } from "./portal-permissions";
import { fixFor, type PreflightResult } from "./preflight-result";

const group = "registry role" as const;

/** How the vendor gives an account the role: the stack of deploy/pullgate-registry.template.json, with the portal's names where they are not the template's defaults. */
export function deployRegistryRole(portalArn: string, iamPath = IAM_PATH_PARAMETER.Default, roleName = REGISTRY_ROLE_NAME_PARAMETER.Default) {
  const overrides = [
    `PortalPrincipalArn=${portalArn}`,
    ...(iamPath !== IAM_PATH_PARAMETER.Default ? [`IamPath=${iamPath}`] : []),
    ...(roleName !== REGISTRY_ROLE_NAME_PARAMETER.Default ? [`RegistryRoleName=${roleName}`] : []),
  ];
  return (
    "aws cloudformation deploy --template-file deploy/pullgate-registry.template.json --stack-name pullgate-registry " +
    `--capabilities CAPABILITY_NAMED_IAM --parameter-overrides ${overrides.join(" ")}`
  );
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
const ASSUME_ACTIONS = ["sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"];

type TrustStatement = { Effect?: unknown; Action?: unknown; NotAction?: unknown; Principal?: unknown; NotPrincipal?: unknown };

/**
 * Who a trust policy lets assume the role: every principal of an Allow statement granting an
 * AssumeRole action, "*" for anyone (as NotPrincipal, all but a few, counts). Conditions only
 * narrow a statement, so its principals count.
 */
export function trustedPrincipals(document: unknown): string[] {
  const statements = asList((document as { Statement?: unknown } | null)?.Statement) as TrustStatement[];
  const trusted = new Set<string>();
  for (const statement of statements) {
    if (statement.Effect !== "Allow") continue;
    const actions = asList(statement.Action).filter((a): a is string => typeof a === "string");
    const grants = statement.NotAction !== undefined || actions.some((a) => ASSUME_ACTIONS.some((assume) => matchesActionPattern(a, assume)));
    if (!grants) continue;
    if (statement.NotPrincipal !== undefined || statement.Principal === "*") {
      trusted.add("*");
      continue;
    }
    for (const value of Object.values((statement.Principal ?? {}) as Record<string, unknown>)) {
      for (const principal of asList(value)) if (typeof principal === "string") trusted.add(principal);
    }
  }
  return [...trusted];
}

/** Why the trust policy is not registryRoleTrustPolicy's (the portal and nobody else), or null when it is. */
export function trustProblem(document: unknown, portalArn: string): string | null {
  const expected = trustedPrincipals(registryRoleTrustPolicy(portalArn));
  const trusted = trustedPrincipals(document);
  const missing = expected.filter((p) => !trusted.includes(p));
  const extra = trusted.filter((p) => !expected.includes(p));
  const problems = [missing.length && `${missing.join(", ")} may not assume it`, extra.length && `${extra.join(", ")} may assume it too`].filter(Boolean);
  return problems.length ? problems.join("; ") : null;
}

export type RegistryRoleSettings = { account: AwsAccount; iamPath: string; roleName: string; portalArn: string; region: string };

/** The role's existence, trust and permissions, asked of IAM through the account administrator's `iam`. */
export async function checkRegistryRole({ account, iamPath, roleName, portalArn, region }: RegistryRoleSettings, iam: AdministratorClients["iam"]): Promise<PreflightResult[]> {
  const roleArn = registryRoleArn(account, iamPath, roleName);
  const deploy = deployRegistryRole(portalArn, iamPath, roleName);
  const exists = `${roleArn} exists`;
  let role: Awaited<ReturnType<typeof getRole>>;
  try {
    role = await getRole(roleName, iam);
  } catch (error) {
    return [{ group, check: exists, ok: false, note: (error as Error).message, fix: fixFor(error, `run the preflight with the account administrator's credentials (iam:GetRole on ${roleArn})`) }];
  }
  // Without the role where the portal assumes it, its trust and permissions mean nothing yet.
  if (!role) return [{ group, check: exists, ok: false, note: "no role of that name", fix: deploy }];
  if (role.arn !== roleArn) return [{ group, check: exists, ok: false, note: `found at ${role.arn} instead`, fix: deploy }];

  const trusts = `${roleArn} trusts ${portalArn} alone`;
  const problem = trustProblem(role.trustPolicy, portalArn);
  const trustFix = `aws iam update-assume-role-policy --role-name ${roleName} --policy-document '${JSON.stringify(registryRoleTrustPolicy(portalArn))}'`;
  const permissions = await simulateChecks(
    roleArn,
    [...mustAllowChecks(registryRolePolicyDocument(account), region), ...repositoryMustDenyChecks(account, region)],
    { group, fix: `give the role exactly the policy of deploy/pullgate-registry.template.json (and nothing else): ${deploy}`, whenMissing: deploy },
    iam,
  );
  return [
    { group, check: exists, ok: true },
    problem ? { group, check: trusts, ok: false, note: problem, fix: trustFix } : { group, check: trusts, ok: true },
    ...permissions,
  ];
}

/** The portal reaches the account's repositories only when its PULLGATE_REGISTRY_ACCOUNTS names it. */
export function checkRegistrySetting(accountId: string, portalAccountId: string, registryAccounts: readonly string[]): PreflightResult {
  const check = `PULLGATE_REGISTRY_ACCOUNTS names ${accountId}`;
  if (accountId === portalAccountId) {
    return { group, check, ok: false, note: "this is the portal's own account", fix: "run the preflight here without --registry-account" };
  }
  if (registryAccounts.includes(accountId)) return { group, check, ok: true };
  const listed = [...registryAccounts, accountId].join(",");
  return { group, check, ok: false, note: "not listed: the portal would not reach this account's repositories", fix: `set the portal's PULLGATE_REGISTRY_ACCOUNTS=${listed} and restart it` };
}
