import { afterEach, describe, expect, it, vi } from "vitest";
import { AwsError } from "@/lib/aws/aws-error";
import { isPrincipalNotYetVisible } from "@/lib/aws/ecr";
import { retryWhile } from "@/lib/aws/retry";

/** A clock that only moves when the code under test sleeps. */
function fakeClock() {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

class Retryable extends Error {}
class Fatal extends Error {}
const retryable = (e: unknown) => e instanceof Retryable;

afterEach(() => vi.restoreAllMocks());

describe("retryWhile", () => {
  it("returns the first success without sleeping", async () => {
    const clock = fakeClock();
    const fn = vi.fn(async () => "done");
    await expect(retryWhile(fn, retryable, { budgetMs: 10_000, ...clock })).resolves.toBe("done");
    expect(fn).toHaveBeenCalledTimes(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("retries while the error is retryable and time remains, with doubling delays", async () => {
    vi.spyOn(Math, "random").mockReturnValue(1); // no jitter: delay = base
    const clock = fakeClock();
    let calls = 0;
    const fn = async () => {
      if (++calls < 4) throw new Retryable(`attempt ${calls}`);
      return calls;
    };
    await expect(retryWhile(fn, retryable, { budgetMs: 60_000, firstDelayMs: 100, ...clock })).resolves.toBe(4);
    expect(clock.sleeps).toEqual([100, 200, 400]);
  });

  it("caps each delay at maxDelayMs", async () => {
    vi.spyOn(Math, "random").mockReturnValue(1);
    const clock = fakeClock();
    let calls = 0;
    const fn = async () => {
      if (++calls < 6) throw new Retryable();
      return "ok";
    };
    await retryWhile(fn, retryable, { budgetMs: 60_000, firstDelayMs: 100, maxDelayMs: 300, ...clock });
    expect(clock.sleeps).toEqual([100, 200, 300, 300, 300]);
  });

  it("jitters each delay between half and all of the base", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    const clock = fakeClock();
    let calls = 0;
    const fn = async () => {
      if (++calls < 3) throw new Retryable();
      return "ok";
    };
    await retryWhile(fn, retryable, { budgetMs: 60_000, firstDelayMs: 100, ...clock });
    expect(clock.sleeps).toEqual([50, 100]);
  });

  it("stops at the first non-retryable error", async () => {
    const clock = fakeClock();
    const fatal = new Fatal("no");
    const fn = vi.fn(async () => {
      throw fatal;
    });
    await expect(retryWhile(fn, retryable, { budgetMs: 60_000, ...clock })).rejects.toBe(fatal);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("gives up with the last error once the next delay would pass the budget", async () => {
    vi.spyOn(Math, "random").mockReturnValue(1);
    const clock = fakeClock();
    let calls = 0;
    const fn = async () => {
      throw new Retryable(`attempt ${++calls}`);
    };
    // Sleeps 500 and 1000 fit in 2000 ms; the next (2000) would end at 3500 > 2000.
    await expect(retryWhile(fn, retryable, { budgetMs: 2_000, firstDelayMs: 500, ...clock })).rejects.toThrow("attempt 3");
    expect(calls).toBe(3);
    expect(clock.sleeps).toEqual([500, 1000]);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2_000);
  });

  it("does not retry at all with a zero budget", async () => {
    const clock = fakeClock();
    const fn = vi.fn(async () => {
      throw new Retryable();
    });
    await expect(retryWhile(fn, retryable, { budgetMs: 0, ...clock })).rejects.toBeInstanceOf(Retryable);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe("isPrincipalNotYetVisible", () => {
  const op = "ecr:SetRepositoryPolicy";

  it("holds for ECR's rejections of a principal IAM has not propagated yet", () => {
    expect(isPrincipalNotYetVisible(new AwsError("InvalidParameterException", "Principal not found: arn:aws:iam::1:user/x", op))).toBe(true);
    expect(
      isPrincipalNotYetVisible(
        new AwsError(
          "InvalidParameterException",
          "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'",
          op,
        ),
      ),
    ).toBe(true);
  });

  it("does not hold for other invalid parameters, other codes or foreign errors", () => {
    expect(isPrincipalNotYetVisible(new AwsError("InvalidParameterException", "Invalid registryId", op))).toBe(false);
    expect(isPrincipalNotYetVisible(new AwsError("RepositoryNotFoundException", "Principal not found", op))).toBe(false);
    expect(isPrincipalNotYetVisible(new AwsError("ValidationException", "Invalid repository policy provided", op))).toBe(false);
    expect(isPrincipalNotYetVisible(new Error("InvalidParameterException: Principal not found"))).toBe(false);
    expect(isPrincipalNotYetVisible(undefined)).toBe(false);
  });
});
