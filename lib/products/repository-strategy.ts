import { REPOSITORY_POLICY_MAX_CHARS } from "@/lib/aws/pull-policy";
import type { GrantStrategy } from "@/lib/generated/prisma/enums";

// How a repository's grant strategy and policy size read to an admin: pure, for read models and tests.

/** The grant strategy in the admin's words. */
export function strategyLabel(strategy: GrantStrategy): string {
  return strategy === "REPOSITORY_POLICY" ? "Repository policy" : "Identity policies";
}

export type PolicySize = {
  /** What the admin reads, e.g. "4,210 of 10,240 characters". */
  text: string;
  /** Share of ECR's limit, 0 to 100 (capped), or null when the size is not known yet. */
  percent: number | null;
  /** "near" from 90 % of the limit; the words say so too, not only the color. */
  level: "unknown" | "ok" | "near" | "over";
};

const count = new Intl.NumberFormat("en-US");

/** The last written or read repository policy's size against ECR's limit. */
export function policySize(chars: number | null | undefined, max = REPOSITORY_POLICY_MAX_CHARS): PolicySize {
  if (chars === null || chars === undefined) return { text: "Not written or read yet", percent: null, level: "unknown" };
  const text = `${count.format(chars)} of ${count.format(max)} characters`;
  const percent = Math.min(100, Math.round((chars / max) * 100));
  if (chars > max) return { text: `${text}, over the limit`, percent, level: "over" };
  if (chars >= max * 0.9) return { text: `${text}, near the limit`, percent, level: "near" };
  return { text, percent, level: "ok" };
}
