import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { boundaryPolicyDocument, loginPolicyDocument } from "@/lib/aws/login-policy";
import { portalPolicyDocument } from "@/lib/aws/portal-policy";
import { setupTemplate } from "@/lib/aws/setup-template";

const TEMPLATE_FILE = path.resolve(import.meta.dirname, "../../deploy/pullgate-aws.template.json");

type Values = Record<string, string>;

// Each of the template's conditions: that this parameter is not empty.
const CONDITION_PARAMETERS: Record<string, string> = {
  HasTrustedAwsPrincipal: "PortalTrustedAwsPrincipal",
  HasCloudTrailBucket: "CloudTrailBucket",
  HasCloudTrailKmsKey: "CloudTrailKmsKeyArn",
};

/** What CloudFormation makes of the template's intrinsic functions the documents use, for given values. */
function resolve(value: unknown, values: Values): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, values));
  if (!value || typeof value !== "object") return value;
  const fn = value as Record<string, unknown>;
  if (typeof fn.Ref === "string") return values[fn.Ref];
  if (typeof fn["Fn::Sub"] === "string") return fn["Fn::Sub"].replace(/\$\{([\w:]+)\}/g, (_, name: string) => values[name]!);
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
  // What Ref of the role gives: its name.
  PortalRole: "vendor-portal",
  PortalTrustedService: "ecs-tasks.amazonaws.com",
  PortalTrustedAwsPrincipal: "",
  CloudTrailBucket: "",
  CloudTrailKmsKeyArn: "",
};

const properties = (values: Values, resource: string) =>
  resolve((setupTemplate().Resources as Record<string, { Properties: unknown }>)[resource]!.Properties, values) as Record<string, unknown>;

const options = {
  accountId: VALUES["AWS::AccountId"]!,
  partition: VALUES["AWS::Partition"]!,
  iamPath: VALUES.IamPath!,
  loginPolicyName: VALUES.LoginPolicyName!,
  boundaryPolicyName: VALUES.BoundaryPolicyName!,
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
      PolicyDocument: boundaryPolicyDocument({ accountId: options.accountId, partition: options.partition }),
    });
  });

  it("lets the portal's service assume its role, and an AWS principal when one is given", () => {
    const principal = (values: Values) =>
      (properties(values, "PortalRole").AssumeRolePolicyDocument as { Statement: { Principal: unknown }[] }).Statement[0]!.Principal;
    expect(principal(VALUES)).toEqual({ Service: "ecs-tasks.amazonaws.com" });
    const account = "arn:aws-cn:iam::444455556666:root";
    expect(principal({ ...VALUES, PortalTrustedAwsPrincipal: account })).toEqual({ Service: "ecs-tasks.amazonaws.com", AWS: account });
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
