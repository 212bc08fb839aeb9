// Normalizes a policy document, in any shape AWS hands it over, into statements that are
// well-formed for the kind of policy. Nothing here throws: what cannot be read is skipped and
// described in `problems`, so the evaluator can say why a statement did not count.

import { type ConditionTest, readConditions } from "./conditions";
import { type PrincipalElement, readPrincipalElement } from "./principals";
import type { PolicyDocument, PolicyKind } from "./types";

export type PatternList = { negated: boolean; patterns: string[] };

export type Statement = {
  /** `statement "Sid"`, or `statement #n` (1-based) when it has no Sid. */
  label: string;
  sid?: string;
  effect: "Allow" | "Deny";
  actions: PatternList;
  /** Null only in a resource policy without Resource: the policy's own resource is implied. */
  resources: PatternList | null;
  /** Null in identity and boundary policies, which have no principal. */
  principals: PrincipalElement | null;
  hasCondition: boolean;
  /** The Condition's tests (all must hold); present only when every part of it is one that can be judged. */
  conditions?: ConditionTest[];
};

export type ReadPolicy = { statements: Statement[]; problems: string[] };

const URL_ENCODED_JSON = /^%7b/i;

export function readPolicy(document: PolicyDocument, kind: PolicyKind): ReadPolicy {
  const parsed = typeof document === "string" ? parseText(document) : { value: document };
  if ("problem" in parsed) return { statements: [], problems: [parsed.problem] };
  const doc = parsed.value;
  if (!isObject(doc)) return { statements: [], problems: ["the document is not a JSON object"] };
  const raw = doc.Statement;
  if (raw === undefined) return { statements: [], problems: ["the document has no Statement"] };
  if (!isObject(raw) && !Array.isArray(raw)) {
    return { statements: [], problems: ["the document's Statement is neither an object nor a list"] };
  }
  const statements: Statement[] = [];
  const problems: string[] = [];
  (Array.isArray(raw) ? raw : [raw]).forEach((value: unknown, i) => {
    const read = readStatement(value, i, kind);
    if ("problem" in read) problems.push(read.problem);
    else statements.push(read);
  });
  return { statements, problems };
}

function parseText(text: string): { value: unknown } | { problem: string } {
  let json = text.trim();
  // IAM's GetPolicyVersion and GetUserPolicy return the document URL-encoded.
  if (URL_ENCODED_JSON.test(json)) {
    try {
      json = decodeURIComponent(json);
    } catch {
      return { problem: "the document is not valid URL-encoded text" };
    }
  }
  try {
    return { value: JSON.parse(json) };
  } catch {
    return { problem: "the document is not valid JSON" };
  }
}

function readStatement(value: unknown, index: number, kind: PolicyKind): Statement | { problem: string } {
  const fallbackLabel = `statement #${index + 1}`;
  if (!isObject(value)) return { problem: `${fallbackLabel} is not an object` };
  const sid = typeof value.Sid === "string" && value.Sid !== "" ? value.Sid : undefined;
  const label = sid === undefined ? fallbackLabel : `statement "${sid}"`;
  const skip = (why: string) => ({ problem: `${label} ${why}` });

  const effect = value.Effect;
  if (effect !== "Allow" && effect !== "Deny") return skip('has an Effect other than "Allow" or "Deny"');

  const actions = readPatternList(value, "Action", "NotAction");
  if (typeof actions === "string") return skip(actions);

  // ECR repository policies usually leave Resource out; the repository itself is meant.
  const resourceImplied = kind === "resource" && value.Resource === undefined && value.NotResource === undefined;
  const resources = resourceImplied ? null : readPatternList(value, "Resource", "NotResource");
  if (typeof resources === "string") return skip(resources);

  let principals: PrincipalElement | null = null;
  if (kind === "resource") {
    const read = readPrincipals(value);
    if (typeof read === "string") return skip(read);
    principals = read;
  }

  const condition = value.Condition;
  // An empty Condition restricts nothing; any other value, even a malformed one, might.
  const hasCondition = condition !== undefined && !(isObject(condition) && Object.keys(condition).length === 0);
  const conditions = hasCondition ? readConditions(condition) : null;

  return {
    label,
    ...(sid === undefined ? {} : { sid }),
    effect,
    actions,
    resources,
    principals,
    hasCondition,
    ...(conditions ? { conditions } : {}),
  };
}

/** Reads exactly one of `name` / `notName` as a string or list of strings; a string result is the problem. */
function readPatternList(statement: Record<string, unknown>, name: string, notName: string): PatternList | string {
  const plain = statement[name];
  const negated = statement[notName];
  if (plain !== undefined && negated !== undefined) return `has both ${name} and ${notName}`;
  if (plain === undefined && negated === undefined) return `has no ${name}`;
  const value = plain ?? negated;
  const patterns = typeof value === "string" ? [value] : value;
  if (!Array.isArray(patterns) || !patterns.every((p): p is string => typeof p === "string")) {
    return `has an invalid ${plain === undefined ? notName : name} (not a string or a list of strings)`;
  }
  return { negated: plain === undefined, patterns };
}

function readPrincipals(statement: Record<string, unknown>): PrincipalElement | string {
  const plain = statement.Principal;
  const negated = statement.NotPrincipal;
  if (plain !== undefined && negated !== undefined) return "has both Principal and NotPrincipal";
  if (plain === undefined && negated === undefined) return "has no Principal";
  const entries = readPrincipalElement(plain ?? negated);
  if ("problem" in entries) return `has a ${plain === undefined ? "NotPrincipal" : "Principal"} ${entries.problem}`;
  return { negated: plain === undefined, entries };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
