import { describe, expect, it } from "vitest";
import { REPOSITORY_POLICY_MAX_CHARS } from "@/lib/aws/pull-policy";
import { QUEUE_DESCRIPTIONS } from "@/lib/health/engine-status";
import { policySize, strategyLabel } from "@/lib/products/repository-strategy";
import { DEAD_LETTER_QUEUE, QUEUES } from "@/lib/jobs/queues";

describe("strategyLabel", () => {
  it("names both grant strategies in the admin's words", () => {
    expect(strategyLabel("REPOSITORY_POLICY")).toBe("Repository policy");
    expect(strategyLabel("IDENTITY_POLICY")).toBe("Identity policies");
  });
});

describe("policySize", () => {
  it("says so when no policy has been written or read yet", () => {
    expect(policySize(null)).toEqual({ text: "Not written or read yet", percent: null, level: "unknown" });
    expect(policySize(undefined).level).toBe("unknown");
  });

  it("counts against ECR's limit with thousands separators", () => {
    expect(REPOSITORY_POLICY_MAX_CHARS).toBe(10_240);
    expect(policySize(0)).toEqual({ text: "0 of 10,240 characters", percent: 0, level: "ok" });
    expect(policySize(4210)).toEqual({ text: "4,210 of 10,240 characters", percent: 41, level: "ok" });
  });

  it("puts nearness to the limit into words, not only into the meter's color", () => {
    expect(policySize(9215).level).toBe("ok");
    expect(policySize(9216)).toEqual({ text: "9,216 of 10,240 characters, near the limit", percent: 90, level: "near" });
    expect(policySize(10_240)).toEqual({ text: "10,240 of 10,240 characters, near the limit", percent: 100, level: "near" });
  });

  it("caps the meter at 100 % for a policy over the limit", () => {
    expect(policySize(12_000)).toEqual({ text: "12,000 of 10,240 characters, over the limit", percent: 100, level: "over" });
  });
});

describe("QUEUE_DESCRIPTIONS", () => {
  it("describes every queue the engine runs, and the dead letters", () => {
    const names: (keyof typeof QUEUE_DESCRIPTIONS)[] = [...Object.values(QUEUES), DEAD_LETTER_QUEUE];
    expect(Object.keys(QUEUE_DESCRIPTIONS).sort()).toEqual([...names].sort());
    for (const name of names) expect(QUEUE_DESCRIPTIONS[name]).toMatch(/\w{3,}.*\.$/);
  });
});
