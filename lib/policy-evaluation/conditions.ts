// The part of a Condition block this evaluator judges: string and Null tests on the resource's
// tags, and string and ARN tests on the caller's ARN (aws:PrincipalArn: how a repository in
// another account trusts the portal account's users by path). A block with anything else in it
// is left unread, so its statement stays "not evaluated" rather than judged on half of what it says.

import { matchesWildcard } from "./wildcard";

const equals = (pattern: string, value: string) => pattern === value;
const equalsIgnoringCase = (pattern: string, value: string) => pattern.toLowerCase() === value.toLowerCase();
// StringLike's `*` and `?` are IAM's wildcards, matched case-sensitively.
const like = (pattern: string, value: string) => matchesWildcard(pattern, value);

/** ArnEquals and ArnLike both take wildcards, matched within each of the ARN's six fields. */
function arnLike(pattern: string, value: string) {
  const fields = (arn: string) => {
    const parts = arn.split(":");
    return parts.length < 6 ? null : [...parts.slice(0, 5), parts.slice(5).join(":")];
  };
  const [p, v] = [fields(pattern), fields(value)];
  return p !== null && v !== null && p.every((field, i) => matchesWildcard(field, v[i]!));
}

const STRING_OPERATORS = {
  StringEquals: { negated: false, matches: equals },
  StringNotEquals: { negated: true, matches: equals },
  StringLike: { negated: false, matches: like },
  StringNotLike: { negated: true, matches: like },
  StringEqualsIgnoreCase: { negated: false, matches: equalsIgnoringCase },
  StringNotEqualsIgnoreCase: { negated: true, matches: equalsIgnoringCase },
  ArnEquals: { negated: false, matches: arnLike },
  ArnLike: { negated: false, matches: arnLike },
  ArnNotEquals: { negated: true, matches: arnLike },
  ArnNotLike: { negated: true, matches: arnLike },
} as const;

type StringOperator = keyof typeof STRING_OPERATORS;
const ARN_OPERATOR = /^Arn/;

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
      operator: StringOperator;
      ifExists: boolean;
      /** Tests `aws:PrincipalArn`, which every request has. */
      principalArn: true;
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
/** What the tests are judged against; without tags, a test of a tag cannot be told. */
export type ConditionContext = { principalArn: string; resourceTags?: ResourceTags };

// Condition key names are case-insensitive in IAM; the tag key part is read as written.
const RESOURCE_TAG_KEY = /^(?:aws|ecr):resourcetag\/(.+)$/i;
const PRINCIPAL_ARN_KEY = /^aws:principalarn$/i;
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
  const ifExists = operatorName.endsWith(IF_EXISTS);
  const operator = ifExists ? operatorName.slice(0, -IF_EXISTS.length) : operatorName;
  if (PRINCIPAL_ARN_KEY.test(key)) {
    if (!isStringOperator(operator)) return null;
    const values = readStrings(value);
    return values ? { operator, ifExists, principalArn: true, values } : null;
  }
  const tagKey = RESOURCE_TAG_KEY.exec(key)?.[1];
  if (tagKey === undefined || tagKey.includes(POLICY_VARIABLE)) return null;
  if (operatorName === "Null") {
    const absent = readBoolean(value);
    return absent === null ? null : { operator: "Null", tagKey, absent };
  }
  // A tag is a string: an ARN operator on it is outside what is judged here.
  if (!isStringOperator(operator) || ARN_OPERATOR.test(operator)) return null;
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
 * Whether every test holds for the request: true, false, or null when it cannot be told (a false
 * test decides the whole, since the tests are ANDed).
 */
export function evaluateConditions(tests: ConditionTest[], context: ConditionContext): boolean | null {
  const results = tests.map((test) => evaluateTest(test, context));
  if (results.includes(false)) return false;
  return results.includes(null) ? null : true;
}

function evaluateTest(test: ConditionTest, { principalArn, resourceTags }: ConditionContext): boolean | null {
  if ("principalArn" in test) {
    const { negated, matches } = STRING_OPERATORS[test.operator];
    return test.values.some((pattern) => matches(pattern, principalArn)) !== negated;
  }
  const value = resourceTags ? tagValue(resourceTags, test.tagKey) : null;
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
