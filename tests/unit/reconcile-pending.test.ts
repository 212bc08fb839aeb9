import { describe, expect, it } from "vitest";
import { retryDelayMs } from "@/lib/jobs/reconcile-pending";

const MINUTE = 60_000;

describe("retryDelayMs", () => {
  it.each([
    [0, 30_000],
    [1, 30_000],
    [2, MINUTE],
    [3, 2 * MINUTE],
    [4, 4 * MINUTE],
    [5, 8 * MINUTE],
    [6, 16 * MINUTE],
    [7, 32 * MINUTE],
    [8, 60 * MINUTE],
    [50, 60 * MINUTE],
    [5_000, 60 * MINUTE],
  ])("waits after %i failed attempts: %i ms", (attempts, expected) => {
    expect(retryDelayMs(attempts)).toBe(expected);
  });

  it("never decreases as attempts grow", () => {
    const delays = Array.from({ length: 40 }, (_, i) => retryDelayMs(i));
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
  });
});
