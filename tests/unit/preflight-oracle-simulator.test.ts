import { describe, expect, it } from "vitest";
import { simulationContext } from "../support/aws-oracle/simulate-principal-policy";

describe("the oracle's SimulatePrincipalPolicy", () => {
  it("reads ContextEntries from the awsQuery form, a list-typed key as a list", () => {
    const params = {
      "ContextEntries.member.1.ContextKeyName": "aws:TagKeys",
      "ContextEntries.member.1.ContextKeyType": "stringList",
      "ContextEntries.member.1.ContextKeyValues.member.1": "pullgate-product",
      "ContextEntries.member.1.ContextKeyValues.member.2": "owner",
      "ContextEntries.member.2.ContextKeyName": "aws:ResourceTag/pullgate:managed",
      "ContextEntries.member.2.ContextKeyType": "string",
      "ContextEntries.member.2.ContextKeyValues.member.1": "true",
    };
    expect(simulationContext(params)).toEqual({ "aws:TagKeys": ["pullgate-product", "owner"], "aws:ResourceTag/pullgate:managed": "true" });
    expect(simulationContext({})).toEqual({});
  });
});
