// The one part of a Condition block this evaluator judges: string and Null tests on the
// resource's tags. A block with anything else in it is left unread, so its statement stays
// "not evaluated" rather than being judged on half of what it says.

import { matchesWildcard } from "./wildcard";

const equals = (pattern: string, value: string) => pattern === value;
const equalsIgnoringCase = (pattern: string, value: string) => pattern.toLowerCase() === value.toLowerCase();
// StringLike's `*` and `?` are IAM's wildcards, matched case-sensitively.
const like = (pattern: string, value: string) => matchesWildcard(pattern, value);

const STRING_OPERATORS = {
  StringEquals: { negated: false, matches: equals },
  StringNotEquals: { negated: true, matches: equals },
  StringLike: { negated: false, matches: like },
  StringNotLike: { negated: true, matches: like },
  StringEqualsIgnoreCase: { negated: false, matches: equalsIgnoringCase },
  StringNotEqualsIgnoreCase: { negated: true, matches: equalsIgnoringCase },
} as const;

type StringOperator = keyof typeof STRING_OPERATORS;

/** One condition key under one operator; a statement applies only when all of its tests hold. */
export type ConditionTest =
  | {
      operator: StringOperator;
      /** `...IfExists`: the test holds when the tag is absent. */
      ifExists: boolean;
      /** The tag key as written after `aws:ResourceTag/` or `ecr:ResourceTag/`. */
      tagKey: string;
      /** The test holds when any of them matches (for a negated operator: when none does). */
      values: string[];
    }
  | {
      operator: "Null";
      tagKey: string;
      /** `"true"`: the test holds when the tag is absent; `"false"`: when it is present. */
      absent: boolean;
    };

/** The resource's tags, key to value. */
type ResourceTags = Record<string, string>;

// Condition key names are case-insensitive in IAM; the tag key part is read as written.
const RESOURCE_TAG_KEY = /^(?:aws|ecr):resourcetag\/(.+)$/i;
const IF_EXISTS = "IfExists";
// Policy variables are not substituted, so a value or key holding one cannot be judged.
const POLICY_VARIABLE = "${";

/** The tests of a Condition block, or null when any part of it is outside the supported subset. */
export function readConditions(condition: unknown): ConditionTest[] | null {
  if (!isObject(condition)) return null;
  const tests: ConditionTest[] = [];
  for (const [operator, block] of Object.entries(condition)) {
    if (!isObject(block) || Object.keys(block).length === 0) return null;
    for (const [key, value] of Object.entries(block)) {
      const test = readTest(operator, key, value);
      if (!test) return null;
      tests.push(test);
    }
  }
  return tests;
}

function readTest(operatorName: string, key: string, value: unknown): ConditionTest | null {
  const tagKey = RESOURCE_TAG_KEY.exec(key)?.[1];
  if (tagKey === undefined || tagKey.includes(POLICY_VARIABLE)) return null;
  if (operatorName === "Null") {
    const absent = readBoolean(value);
    return absent === null ? null : { operator: "Null", tagKey, absent };
  }
  const ifExists = operatorName.endsWith(IF_EXISTS);
  const operator = ifExists ? operatorName.slice(0, -IF_EXISTS.length) : operatorName;
  if (!isStringOperator(operator)) return null;
  const values = readStrings(value);
  return values ? { operator, ifExists, tagKey, values } : null;
}

function readStrings(value: unknown): string[] | null {
  const values = typeof value === "string" ? [value] : value;
  if (!Array.isArray(values) || values.length === 0) return null;
  const strings = values.every((v): v is string => typeof v === "string" && !v.includes(POLICY_VARIABLE));
  return strings ? values : null;
}

function readBoolean(value: unknown): boolean | null {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return null;
}

/**
 * Whether every test holds for the resource's tags: true, false, or null when it cannot be told
 * (a false test decides the whole, since the tests are ANDed).
 */
export function evaluateConditions(tests: ConditionTest[], tags: ResourceTags): boolean | null {
  const results = tests.map((test) => evaluateTest(test, tags));
  if (results.includes(false)) return false;
  return results.includes(null) ? null : true;
}

function evaluateTest(test: ConditionTest, tags: ResourceTags): boolean | null {
  const value = tagValue(tags, test.tagKey);
  if (value === null) return null;
  if (test.operator === "Null") return (value === undefined) === test.absent;
  const { negated, matches } = STRING_OPERATORS[test.operator];
  // AWS: a missing key fails a positive test, passes a negated or IfExists one.
  if (value === undefined) return negated || test.ifExists;
  return test.values.some((pattern) => matches(pattern, value)) !== negated;
}

/**
 * The tag's value, undefined when the resource has no such tag, or null when it has the key only in
 * another letter case: AWS may or may not treat that as the same tag, so it cannot be judged.
 */
function tagValue(tags: ResourceTags, tagKey: string): string | undefined | null {
  if (Object.hasOwn(tags, tagKey)) return tags[tagKey];
  const lower = tagKey.toLowerCase();
  return Object.keys(tags).some((key) => key.toLowerCase() === lower) ? null : undefined;
}

function isStringOperator(name: string): name is StringOperator {
  return Object.hasOwn(STRING_OPERATORS, name);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
