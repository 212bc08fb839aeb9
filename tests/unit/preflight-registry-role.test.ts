import { describe, expect, it } from "vitest";
import { registryRoleTrustPolicy } from "@/lib/aws/registry-role";
import { checkRegistrySetting, deployRegistryRole, trustedPrincipals, trustProblem } from "@/lib/health/preflight/registry-role";

const PORTAL = "arn:aws:iam::111122223333:user/pullgate-portal";
const OTHER = "arn:aws:iam::111122223333:user/vendor-administrator";
const trust = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const allow = (Principal: unknown, Action: unknown = "sts:AssumeRole") => ({ Effect: "Allow", Principal, Action });

describe("the registry role's trust", () => {
  it("passes the trust policy Pullgate asks for", () => {
    expect(trustedPrincipals(registryRoleTrustPolicy(PORTAL))).toEqual([PORTAL]);
    expect(trustProblem(registryRoleTrustPolicy(PORTAL), PORTAL)).toBeNull();
    // The same, written another way.
    expect(trustProblem(trust(allow({ AWS: [PORTAL] }, ["sts:AssumeRole", "sts:TagSession"])), PORTAL)).toBeNull();
  });

  it("names another principal trusted instead of the portal, or beside it", () => {
    expect(trustProblem(trust(allow({ AWS: OTHER })), PORTAL)).toBe(`${PORTAL} may not assume it; ${OTHER} may assume it too`);
    expect(trustProblem(trust(allow({ AWS: [PORTAL, OTHER] })), PORTAL)).toBe(`${OTHER} may assume it too`);
    expect(trustProblem(trust(allow({ AWS: PORTAL }), allow({ AWS: "arn:aws:iam::111122223333:root" }, "sts:*")), PORTAL)).toBe(
      "arn:aws:iam::111122223333:root may assume it too",
    );
    expect(trustProblem(trust(allow({ Service: "ec2.amazonaws.com" })), PORTAL)).toMatch(/ec2\.amazonaws\.com may assume it too$/);
  });

  it("takes anyone, and all but a few, for anyone", () => {
    expect(trustedPrincipals(trust(allow("*")))).toEqual(["*"]);
    expect(trustedPrincipals(trust(allow({ AWS: "*" })))).toEqual(["*"]);
    expect(trustedPrincipals(trust({ Effect: "Allow", NotPrincipal: { AWS: OTHER }, Action: "sts:AssumeRole" }))).toEqual(["*"]);
  });

  it("counts only allowed ways of assuming the role", () => {
    expect(trustedPrincipals(trust(allow({ AWS: OTHER }, "sts:TagSession"), { Effect: "Deny", Principal: { AWS: OTHER }, Action: "sts:AssumeRole" }))).toEqual([]);
    expect(trustedPrincipals(trust(allow({ Federated: "accounts.google.com" }, "sts:AssumeRoleWithWebIdentity")))).toEqual(["accounts.google.com"]);
    expect(trustedPrincipals({})).toEqual([]);
  });
});

describe("the registry account in the portal's settings", () => {
  it("passes when PULLGATE_REGISTRY_ACCOUNTS lists it, and says what to set when not", () => {
    expect(checkRegistrySetting("444455556666", "111122223333", ["777788889999", "444455556666"])).toMatchObject({ ok: true });
    expect(checkRegistrySetting("444455556666", "111122223333", ["777788889999"])).toMatchObject({
      group: "registry role",
      ok: false,
      fix: "set the portal's PULLGATE_REGISTRY_ACCOUNTS=777788889999,444455556666 and restart it",
    });
  });

  it("fails in the portal's own account", () => {
    expect(checkRegistrySetting("111122223333", "111122223333", [])).toMatchObject({ ok: false, note: "this is the portal's own account" });
  });
});

describe("the registry role's fix", () => {
  it("deploys the registry template for the portal, naming the path and role only where they are not its defaults", () => {
    const deploy =
      "aws cloudformation deploy --template-file deploy/pullgate-registry.template.json --stack-name pullgate-registry --capabilities CAPABILITY_NAMED_IAM --parameter-overrides";
    expect(deployRegistryRole(PORTAL, "/pullgate/", "pullgate-registry")).toBe(`${deploy} PortalPrincipalArn=${PORTAL}`);
    expect(deployRegistryRole(PORTAL, "/ops/", "pg-registry")).toBe(`${deploy} PortalPrincipalArn=${PORTAL} IamPath=/ops/ RegistryRoleName=pg-registry`);
  });
});
