import { describe, expect, it } from "vitest";
import { pullInstructions } from "@/lib/customers/pull-instructions";

const input = {
  accountId: "111122223333",
  region: "eu-central-1",
  profile: "acme-pull",
  accessKeyId: "AKIAEXAMPLE000000001",
  repositories: [
    { name: "acme/analytics-server", tag: "2.0.0" },
    { name: "acme/analytics-worker", tag: null },
  ],
};
const REGISTRY = "111122223333.dkr.ecr.eu-central-1.amazonaws.com";

const block = (id: string, blocks = pullInstructions(input)) => {
  const found = blocks.find((b) => b.id === id);
  if (!found) throw new Error(`no block ${id}`);
  return found;
};

describe("pullInstructions", () => {
  it("returns the blocks in the order a customer follows them", () => {
    expect(pullInstructions(input).map((b) => b.id)).toEqual(["aws-profile", "docker-login", "docker-pull", "powershell"]);
  });

  it("saves the key as a named profile without ever containing a real secret", () => {
    expect(block("aws-profile").command.split("\n")).toEqual([
      "aws configure set aws_access_key_id AKIAEXAMPLE000000001 --profile acme-pull",
      "aws configure set aws_secret_access_key <your secret access key> --profile acme-pull",
      "aws configure set region eu-central-1 --profile acme-pull",
    ]);
  });

  it("uses a placeholder when the customer has no key yet", () => {
    const blocks = pullInstructions({ ...input, accessKeyId: null });
    expect(block("aws-profile", blocks).command).toContain("aws_access_key_id <your access key id> --profile acme-pull");
  });

  it("gives the exact docker login line for the registry", () => {
    expect(block("docker-login").command).toBe(
      `aws ecr get-login-password --region eu-central-1 --profile acme-pull | docker login --username AWS --password-stdin ${REGISTRY}`,
    );
  });

  it("pulls every repository, with latest standing in for a missing tag", () => {
    expect(block("docker-pull").command.split("\n")).toEqual([
      `docker pull ${REGISTRY}/acme/analytics-server:2.0.0`,
      `docker pull ${REGISTRY}/acme/analytics-worker:latest`,
    ]);
  });

  it("logs in from PowerShell with Get-ECRLoginCommand, then pulls the same images", () => {
    expect(block("powershell").command.split("\n")).toEqual([
      `(Get-ECRLoginCommand -Region eu-central-1 -ProfileName acme-pull).Password | docker login --username AWS --password-stdin ${REGISTRY}`,
      `docker pull ${REGISTRY}/acme/analytics-server:2.0.0`,
      `docker pull ${REGISTRY}/acme/analytics-worker:latest`,
    ]);
  });
});
