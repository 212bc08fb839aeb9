import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { portalPolicyDocument } from "@/lib/aws/portal-policy";

describe("the operator guide's portal policy", () => {
  it("is the policy the code generates", () => {
    const readme = readFileSync("docs/operations.md", "utf8");
    const block = /### The portal's own AWS identity[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    expect(JSON.parse(block!)).toEqual(
      portalPolicyDocument({ accountId: "111122223333", iamPath: "/pullgate/", loginPolicyName: "AmazonEC2ContainerRegistryLogin", boundaryPolicyName: "PullgateCustomerBoundary" }),
    );
  });
});
