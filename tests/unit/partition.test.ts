import { execFileSync } from "node:child_process";
import type { DestinationStream } from "pino";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { repositoryArn } from "@/lib/aws/ecr";
import { accountRootArn, policyArn, userArn } from "@/lib/aws/iam";
import { boundaryPolicyDocument } from "@/lib/aws/login-policy";
import { arnPartition } from "@/lib/aws/partition";
import { portalPolicyDocument } from "@/lib/aws/portal-policy";
import { PULL_ACTIONS } from "@/lib/aws/pull-policy";
import { portalAccount } from "@/lib/aws/sts";
import { crossAccountInstructions, customerSidePolicy } from "@/lib/customers/cross-account-instructions";
import { setLogDestination } from "@/lib/log";
import { evaluatePullAccess } from "@/lib/policy-evaluation";

// Outside the commercial partition (China, GovCloud) an ARN starting `arn:aws:` names nothing.

const sts = vi.hoisted(() => ({ send: vi.fn() }));
vi.mock("@/lib/aws/clients", async (original) => ({ ...(await original<object>()), stsClient: () => sts }));

const VENDOR = "111122223333";
const CUSTOMER = "444455556666";
const repo = { accountId: VENDOR, region: "cn-north-1", name: "acme/server" };
const names = { iamPath: "/pullgate/", loginPolicyName: "Login", boundaryPolicyName: "Boundary", cloudTrailBucket: "acme-trail" };
const portalPolicy = (partition: string) => portalPolicyDocument({ accountId: VENDOR, partition, ...names });

beforeAll(() => setLogDestination({ write: () => {} } as DestinationStream, "silent"));

describe("the portal's partition", () => {
  it("is the second field of the caller's ARN, asked of STS once", async () => {
    sts.send.mockResolvedValue({ Account: VENDOR, Arn: `arn:aws-us-gov:iam::${VENDOR}:user/pullgate-portal` });
    expect(await portalAccount()).toEqual({ accountId: VENDOR, partition: "aws-us-gov" });
    expect(await portalAccount()).toEqual({ accountId: VENDOR, partition: "aws-us-gov" });
    expect(sts.send).toHaveBeenCalledTimes(1);
  });

  it("is read from any principal's ARN", () => {
    expect(arnPartition(`arn:aws-cn:sts::${VENDOR}:assumed-role/portal/i-0abc`)).toBe("aws-cn");
    expect(arnPartition(`arn:aws:iam::${VENDOR}:root`)).toBe("aws");
    expect(() => arnPartition("not-an-arn")).toThrow(/not an ARN/);
  });
});

describe.each(["aws-cn", "aws-us-gov"])("ARNs and policies in %s", (partition) => {
  const account = { accountId: VENDOR, partition };
  const noCommercialArn = (value: unknown) => expect(JSON.stringify(value)).not.toContain("arn:aws:");

  it("name the partition in every ARN built", () => {
    expect(userArn(account, "/pullgate/", "pullgate-c1-1")).toBe(`arn:${partition}:iam::${VENDOR}:user/pullgate/pullgate-c1-1`);
    expect(policyArn(account, "/pullgate/", "Boundary")).toBe(`arn:${partition}:iam::${VENDOR}:policy/pullgate/Boundary`);
    expect(accountRootArn({ accountId: CUSTOMER, partition })).toBe(`arn:${partition}:iam::${CUSTOMER}:root`);
    expect(repositoryArn(repo, partition)).toBe(`arn:${partition}:ecr:cn-north-1:${VENDOR}:repository/acme/server`);
  });

  it("scope the portal's own policy to the partition, the CloudTrail bucket included", () => {
    const doc = portalPolicy(partition);
    noCommercialArn(doc);
    const text = JSON.stringify(doc);
    expect(text).toContain(`arn:${partition}:iam::${VENDOR}:user/pullgate/*`);
    expect(text).toContain(`arn:${partition}:iam::${VENDOR}:policy/pullgate/Boundary`);
    expect(text).toContain(`arn:${partition}:ecr:*:${VENDOR}:repository/*`);
    expect(text).toContain(`arn:${partition}:s3:::acme-trail/*`);
  });

  it("scope the customer users' boundary and the customer side's policy to the partition", () => {
    noCommercialArn(boundaryPolicyDocument(account));
    expect(boundaryPolicyDocument(account).Statement[1]!.Resource).toBe(`arn:${partition}:ecr:*:*:repository/*`);
    noCommercialArn(customerSidePolicy([repo], partition));
    const block = crossAccountInstructions({ accountIds: [CUSTOMER], repositories: [{ ...repo, tag: null }], partition })!;
    noCommercialArn(block);
  });

  it("are read back as the accounts and repositories they name", () => {
    // The customer's account root in the repository policy lets any of its roles pull, once its own IAM allows it.
    const vendorSide = {
      Version: "2012-10-17",
      Statement: [{ Sid: "PullgateCustomerPull", Effect: "Allow", Principal: { AWS: [accountRootArn({ accountId: CUSTOMER, partition })] }, Action: PULL_ACTIONS }],
    };
    const decision = evaluatePullAccess(
      {
        principalArn: `arn:${partition}:iam::${CUSTOMER}:role/eks-nodes`,
        principalAccountId: CUSTOMER,
        resourceArn: repositoryArn(repo, partition),
        resourceAccountId: VENDOR,
      },
      {
        identity: [{ name: "pull-vendor-images", document: customerSidePolicy([repo], partition) }],
        resource: { name: "repository policy", document: vendorSide },
      },
    );
    expect(decision.allowed).toBe(true);
  });
});

describe("npm run aws:portal-policy", () => {
  const print = (...args: string[]) =>
    execFileSync("node_modules/.bin/tsx", ["--conditions=react-server", "scripts/print-portal-policy.ts", ...args], { encoding: "utf8", stdio: "pipe" });
  const positional = [VENDOR, names.iamPath, names.loginPolicyName, names.boundaryPolicyName, names.cloudTrailBucket];

  it("prints the policy for the partition given, and for aws without one", () => {
    expect(JSON.parse(print(...positional, "--partition", "aws-cn"))).toEqual(portalPolicy("aws-cn"));
    expect(JSON.parse(print("--partition=aws-us-gov", ...positional))).toEqual(portalPolicy("aws-us-gov"));
    expect(JSON.parse(print(...positional))).toEqual(portalPolicy("aws"));
  });

  it("refuses a partition that is not one", () => {
    expect(() => print(VENDOR, "--partition", "china")).toThrow(/usage/);
  });
});
