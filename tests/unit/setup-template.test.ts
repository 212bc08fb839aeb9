import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { boundaryPolicyDocument, loginPolicyDocument } from "@/lib/aws/login-policy";
import { portalPolicyDocument } from "@/lib/aws/portal-policy";
import { registryRolePolicyDocument, registryRoleTrustPolicy } from "@/lib/aws/registry-role";
import { registrySetupTemplate } from "@/lib/aws/registry-template";
import { brokerRolePolicyDocument, brokerRoleTrustPolicy } from "@/lib/aws/broker-role";
import { setupTemplate } from "@/lib/aws/setup-template";

const TEMPLATE_FILE = path.resolve(import.meta.dirname, "../../deploy/pullgate-aws.template.json");
const REGISTRY_TEMPLATE_FILE = path.resolve(import.meta.dirname, "../../deploy/pullgate-registry.template.json");

type Values = Record<string, string>;

// Each of the template's conditions: that this parameter is not empty.
const CONDITION_PARAMETERS: Record<string, string> = {
  HasTrustedAwsPrincipal: "PortalTrustedAwsPrincipal",
  HasEksOidcProvider: "EksOidcProvider",
  HasCloudTrailBucket: "CloudTrailBucket",
  HasCloudTrailKmsKey: "CloudTrailKmsKeyArn",
};

/** What CloudFormation makes of the template's intrinsic functions the documents use, for given values. */
function resolve(value: unknown, values: Values): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, values));
  if (!value || typeof value !== "object") return value;
  const fn = value as Record<string, unknown>;
  if (typeof fn.Ref === "string") return values[fn.Ref];
  if (typeof fn["Fn::Sub"] === "string") {
    return fn["Fn::Sub"].replace(/\$\{(!?)([\w:]+)\}/g, (_, literal: string, name: string) => (literal ? `\${${name}}` : values[name]!));
  }
  if (Array.isArray(fn["Fn::If"])) {
    const [condition, whenTrue, whenFalse] = fn["Fn::If"] as [string, unknown, unknown];
    const holds = values[CONDITION_PARAMETERS[condition]!] !== "";
    return resolve(holds ? whenTrue : whenFalse, values);
  }
  return Object.fromEntries(Object.entries(fn).map(([k, v]) => [k, resolve(v, values)]));
}

const VALUES: Values = {
  "AWS::AccountId": "111122223333",
  "AWS::Partition": "aws-cn",
  IamPath: "/vendor/pullgate/",
  LoginPolicyName: "VendorLogin",
  BoundaryPolicyName: "VendorBoundary",
  PortalRoleName: "vendor-portal",
  RegistryRoleName: "vendor-registry",
  BrokerRoleName: "vendor-broker",
  BoundaryPolicy: "arn:aws-cn:iam::111122223333:policy/vendor/pullgate/VendorBoundary",
  // What Ref of the role gives: its name.
  PortalRole: "vendor-portal",
  PortalTrustedService: "ecs-tasks.amazonaws.com",
  PortalTrustedAwsPrincipal: "",
  EksOidcProvider: "",
  EksServiceAccount: "pullgate:pullgate-portal",
  CloudTrailBucket: "",
  CloudTrailKmsKeyArn: "",
};

const properties = (values: Values, resource: string, template: { Resources: object } = setupTemplate()) =>
  resolve((template.Resources as Record<string, { Properties: unknown }>)[resource]!.Properties, values) as Record<string, unknown>;

/** A policy property's document: CloudFormation takes a JSON string for one as well as an object. */
const document = (value: unknown) => (typeof value === "string" ? (JSON.parse(value) as unknown) : value);

const options = {
  accountId: VALUES["AWS::AccountId"]!,
  partition: VALUES["AWS::Partition"]!,
  iamPath: VALUES.IamPath!,
  loginPolicyName: VALUES.LoginPolicyName!,
  boundaryPolicyName: VALUES.BoundaryPolicyName!,
  registryRoleName: VALUES.RegistryRoleName!,
  brokerRoleName: VALUES.BrokerRoleName!,
};

describe("the AWS setup template", () => {
  it("is committed as npm run aws:template writes it", () => {
    expect(JSON.parse(readFileSync(TEMPLATE_FILE, "utf8"))).toEqual(setupTemplate());
  });

  it("gives the portal role the portal's own policy, for the stack's values", () => {
    const portal = properties(VALUES, "PortalPolicy");
    expect(portal.PolicyDocument).toEqual(portalPolicyDocument(options));
    expect(portal).toMatchObject({ ManagedPolicyName: "vendor-portal", Path: "/vendor/pullgate/", Roles: ["vendor-portal"] });
    const withTrail = properties({ ...VALUES, CloudTrailBucket: "vendor-trail" }, "PortalPolicy");
    expect(withTrail.PolicyDocument).toEqual(portalPolicyDocument({ ...options, cloudTrailBucket: "vendor-trail" }));
    const key = "arn:aws-cn:kms:cn-north-1:111122223333:key/trail";
    const withKey = properties({ ...VALUES, CloudTrailBucket: "vendor-trail", CloudTrailKmsKeyArn: key }, "PortalPolicy");
    expect(withKey.PolicyDocument).toEqual(portalPolicyDocument({ ...options, cloudTrailBucket: "vendor-trail", cloudTrailKmsKeyArn: key }));
    // portalPolicyDocument reads the key only with a bucket, and so does the template.
    const keyAlone = properties({ ...VALUES, CloudTrailKmsKeyArn: key }, "PortalPolicy");
    expect(keyAlone.PolicyDocument).toEqual(portalPolicyDocument(options));
  });

  it("creates the customer policies the portal attaches, where it looks for them", () => {
    expect(properties(VALUES, "LoginPolicy")).toEqual({ ManagedPolicyName: "VendorLogin", Path: "/vendor/pullgate/", PolicyDocument: loginPolicyDocument() });
    expect(properties(VALUES, "BoundaryPolicy")).toEqual({
      ManagedPolicyName: "VendorBoundary",
      Path: "/vendor/pullgate/",
      PolicyDocument: boundaryPolicyDocument({ partition: options.partition }),
    });
  });

  it("makes the broker role the portal's policy reaches: trusting the portal's role alone, capped by the customer boundary", () => {
    const broker = properties(VALUES, "BrokerRole");
    expect(broker).toEqual({
      RoleName: "vendor-broker",
      Path: "/vendor/pullgate/",
      PermissionsBoundary: VALUES.BoundaryPolicy,
      AssumeRolePolicyDocument: brokerRoleTrustPolicy({ "Fn::GetAtt": ["PortalRole", "Arn"] }),
      Policies: [{ PolicyName: "PullgateBroker", PolicyDocument: brokerRolePolicyDocument({ partition: options.partition }) }],
    });
    const { Statement } = properties(VALUES, "PortalPolicy").PolicyDocument as { Statement: { Sid: string; Resource: string }[] };
    const brokerArn = "arn:aws-cn:iam::111122223333:role/vendor/pullgate/vendor-broker";
    expect(Statement.filter((s) => s.Resource === brokerArn).map((s) => s.Sid)).toEqual(["BrokerRegistryCredentials"]);
  });

  it("lets the portal assume roles of the registry role's name in the vendor's other accounts", () => {
    const { Statement } = properties(VALUES, "PortalPolicy").PolicyDocument as { Statement: { Sid: string }[] };
    expect(Statement.find((s) => s.Sid === "ReachRepositoriesInOtherAccounts")).toEqual({
      Sid: "ReachRepositoriesInOtherAccounts",
      Effect: "Allow",
      Action: ["sts:AssumeRole"],
      Resource: "arn:aws-cn:iam::*:role/vendor/pullgate/vendor-registry",
    });
  });

  it("lets the portal's service assume its role, and an AWS principal when one is given", () => {
    const trust = (values: Values) => document(properties(values, "PortalRole").AssumeRolePolicyDocument) as { Statement: { Principal: unknown }[] };
    expect(trust(VALUES)).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] });
    const account = "arn:aws-cn:iam::444455556666:root";
    expect(trust({ ...VALUES, PortalTrustedAwsPrincipal: account }).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com", AWS: account }, Action: "sts:AssumeRole" },
    ]);
  });

  it("lets the portal's Kubernetes service account on EKS assume its role only when the cluster's OIDC provider is given", () => {
    const trust = (values: Values) => document(properties(values, "PortalRole").AssumeRolePolicyDocument) as { Statement: object[] };
    const provider = "oidc.eks.cn-north-1.amazonaws.com.cn/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    const onEks = {
      Sid: "PortalServiceAccountOnEks",
      Effect: "Allow",
      Principal: { Federated: `arn:aws-cn:iam::111122223333:oidc-provider/${provider}` },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${provider}:sub`]: "system:serviceaccount:vendor:portal", [`${provider}:aud`]: "sts.amazonaws.com" } },
    };
    const service = { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" };
    const eks = { ...VALUES, EksOidcProvider: provider, EksServiceAccount: "vendor:portal" };
    expect(trust(eks)).toEqual({ Version: "2012-10-17", Statement: [service, onEks] });
    const account = "arn:aws-cn:iam::444455556666:root";
    expect(trust({ ...eks, PortalTrustedAwsPrincipal: account }).Statement).toEqual([
      { ...service, Principal: { Service: "ecs-tasks.amazonaws.com", AWS: account } },
      onEks,
    ]);
    // The service account alone changes nothing: it takes the provider.
    expect(trust({ ...VALUES, EksServiceAccount: "vendor:portal" }).Statement).toEqual([service]);
    expect(JSON.stringify(trust(VALUES))).not.toContain("AssumeRoleWithWebIdentity");
  });

  it("declares every condition it uses, and each is a parameter's", () => {
    expect(Object.keys(setupTemplate().Conditions).sort()).toEqual(Object.keys(CONDITION_PARAMETERS).sort());
  });

  it("substitutes only what it declares", () => {
    const declared = new Set([...Object.keys(setupTemplate().Parameters), "AWS::AccountId", "AWS::Partition"]);
    const named = [...JSON.stringify(setupTemplate()).matchAll(/\$\{([\w:]+)\}/g)].map((m) => m[1]!);
    expect(named.filter((name) => !declared.has(name))).toEqual([]);
  });
});

describe("the registry account's setup template", () => {
  const REGISTRY_VALUES: Values = {
    "AWS::AccountId": "444455556666",
    "AWS::Partition": "aws-cn",
    PortalPrincipalArn: "arn:aws-cn:iam::111122223333:role/vendor/pullgate/vendor-portal",
    IamPath: "/vendor/pullgate/",
    RegistryRoleName: "vendor-registry",
    // What Ref of the role gives: its name.
    RegistryRole: "vendor-registry",
  };
  const registry = (resource: string) => properties(REGISTRY_VALUES, resource, registrySetupTemplate());

  it("is committed as npm run aws:template writes it", () => {
    expect(JSON.parse(readFileSync(REGISTRY_TEMPLATE_FILE, "utf8"))).toEqual(registrySetupTemplate());
  });

  it("gives the role the name the portal's policy reaches, trusting the portal's principal alone", () => {
    expect(registry("RegistryRole")).toEqual({
      RoleName: "vendor-registry",
      Path: "/vendor/pullgate/",
      AssumeRolePolicyDocument: registryRoleTrustPolicy(REGISTRY_VALUES.PortalPrincipalArn!),
    });
  });

  it("attaches to the role the repository statements for its own account", () => {
    expect(registry("RegistryRolePolicy")).toEqual({
      ManagedPolicyName: "vendor-registry",
      Path: "/vendor/pullgate/",
      Roles: ["vendor-registry"],
      PolicyDocument: registryRolePolicyDocument({ accountId: "444455556666", partition: "aws-cn" }),
    });
  });

  it("uses no condition, and substitutes only what it declares", () => {
    expect(registrySetupTemplate()).not.toHaveProperty("Conditions");
    const declared = new Set([...Object.keys(registrySetupTemplate().Parameters), "AWS::AccountId", "AWS::Partition"]);
    const named = [...JSON.stringify(registrySetupTemplate()).matchAll(/\$\{([\w:]+)\}/g)].map((m) => m[1]!);
    expect(named.filter((name) => !declared.has(name))).toEqual([]);
    expect(named.length).toBeGreaterThan(0);
  });
});
