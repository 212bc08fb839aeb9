import { Writable } from "node:stream";
import { afterAll, describe, expect, inject, it } from "vitest";
import { setLogDestination } from "@/lib/log";
import { awsAdmin } from "../support/aws-admin";
import { closePools } from "../support/close-pools";

const ctx = inject("integration");

afterAll(closePools);

describe("structured logs", () => {
  it("name the customer, the entitlement and the AWS request id on every AWS call of a grant", async () => {
    const lines: Record<string, unknown>[] = [];
    setLogDestination(
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
          done();
        },
      }),
      "info",
    );
    const admin = awsAdmin(ctx);
    const granted = await admin.grantOnNewProduct("logged");
    admin.destroy();

    // Customer calls name their customer; a repository write names every customer in its batch.
    const customerId = granted.entitlement.customerId;
    const calls = lines.filter(
      (l) => typeof l.aws === "string" && (l.customerId === customerId || (Array.isArray(l.customerIds) && l.customerIds.includes(customerId))),
    );
    expect(calls.map((l) => l.aws)).toEqual(expect.arrayContaining(["iam:CreateUser", "iam:CreateAccessKey", "ecr:SetRepositoryPolicy"]));
    for (const line of calls) {
      expect(line).toMatchObject({ service: "pullgate", entitlementIds: expect.arrayContaining([granted.entitlement.id]) });
      expect(line.requestId).toEqual(expect.any(String));
      expect(line.ms).toEqual(expect.any(Number));
    }
    expect(lines.some((l) => l.msg === "customer converged" && l.customerId === granted.entitlement.customerId)).toBe(true);
  });
});
