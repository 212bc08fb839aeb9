import { describe, expect, it } from "vitest";
import { PULL_ACTIONS } from "@/lib/aws/pull-policy";
import { crossAccountInstructions, customerSidePolicy } from "@/lib/customers/cross-account-instructions";
import { evaluatePullAccess } from "@/lib/policy-evaluation";

const repositories = [
  { accountId: "111122223333", region: "eu-west-1", name: "acme/server", tag: "2.1.0" },
  { accountId: "111122223333", region: "eu-west-1", name: "acme/worker", tag: null },
];

describe("cross-account pull instructions", () => {
  it("name the customer's accounts, the vendor's registry and every image", () => {
    const block = crossAccountInstructions({ accountIds: ["444455556666"], repositories, partition: "aws" })!;
    const command = (id: string) => block.steps.find((s) => s.id === id)!.command;
    expect(block.steps.find((s) => s.id === "own-account-policy")!.description).toContain("grants your account 444455556666");
    expect(command("own-account-login")).toBe(
      "aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin 111122223333.dkr.ecr.eu-west-1.amazonaws.com",
    );
    expect(command("own-account-pull")).toBe(
      "docker pull 111122223333.dkr.ecr.eu-west-1.amazonaws.com/acme/server:2.1.0\ndocker pull 111122223333.dkr.ecr.eu-west-1.amazonaws.com/acme/worker:latest",
    );
    // The heredoc holds exactly the policy document.
    const heredoc = /<<'EOF'\n([\s\S]*)\nEOF\n/.exec(command("own-account-policy"))![1]!;
    expect(JSON.parse(heredoc)).toEqual(customerSidePolicy(repositories, "aws"));
  });

  it("cover every registry the customer is entitled to: a login for each, and each image from its own", () => {
    const elsewhere = [...repositories, { accountId: "777788889999", region: "us-west-2", name: "acme/agent", tag: "1.0.0" }];
    const block = crossAccountInstructions({ accountIds: ["444455556666"], repositories: elsewhere, partition: "aws" })!;
    const command = (id: string) => block.steps.find((s) => s.id === id)!.command;
    expect(command("own-account-login")).toBe(
      [
        "aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin 111122223333.dkr.ecr.eu-west-1.amazonaws.com",
        "aws ecr get-login-password --region us-west-2 | docker login --username AWS --password-stdin 777788889999.dkr.ecr.us-west-2.amazonaws.com",
      ].join("\n"),
    );
    expect(command("own-account-pull")).toContain("docker pull 777788889999.dkr.ecr.us-west-2.amazonaws.com/acme/agent:1.0.0");
    expect(customerSidePolicy(elsewhere, "aws").Statement[1]!.Resource).toContain("arn:aws:ecr:us-west-2:777788889999:repository/acme/agent");
  });

  it("is absent without an account or a repository", () => {
    expect(crossAccountInstructions({ accountIds: [], repositories, partition: "aws" })).toBeNull();
    expect(crossAccountInstructions({ accountIds: ["444455556666"], repositories: [], partition: "aws" })).toBeNull();
  });

  it("gives the customer's roles a registry token and pulls from these repositories only", () => {
    const policy = customerSidePolicy(repositories, "aws");
    const request = (resource: string) => ({
      principalArn: "arn:aws:iam::444455556666:role/eks-nodes",
      principalAccountId: "444455556666",
      resourceArn: resource,
      resourceAccountId: "111122223333",
    });
    // The vendor's side, as Pullgate writes it: the account root in the pull statement.
    const vendorSide = {
      Version: "2012-10-17",
      Statement: [{ Sid: "PullgateCustomerPull", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::444455556666:root"] }, Action: PULL_ACTIONS }],
    };
    const policies = { identity: [{ name: "pull-vendor-images", document: policy }], resource: { name: "repository policy", document: vendorSide } };
    expect(evaluatePullAccess(request("arn:aws:ecr:eu-west-1:111122223333:repository/acme/server"), policies).allowed).toBe(true);
    expect(evaluatePullAccess(request("arn:aws:ecr:eu-west-1:111122223333:repository/other"), policies).allowed).toBe(false);
  });
});
