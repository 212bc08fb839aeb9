// The Principal / NotPrincipal element of a resource policy, and whether it names the caller.

import type { AccessRequest } from "./types";

export type PrincipalEntry = { kind: "everyone" } | { kind: "account"; accountId: string } | { kind: "arn"; arn: string };

export type PrincipalElement = { negated: boolean; entries: PrincipalEntry[] };

/** How an Allow reaches the caller; the evaluator treats each differently within one account. */
export type PrincipalVia = "principal" | "account" | "everyone";

const ACCOUNT_ID = /^\d{12}$/;
const ACCOUNT_ROOT_ARN = /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):root$/;

/**
 * Reads `"*"` or `{ "AWS": ... }` into entries, or says what is wrong with it. Other keys (Service,
 * Federated, CanonicalUser) name principals that are never an IAM user, so they add no entry.
 */
export function readPrincipalElement(value: unknown): PrincipalEntry[] | { problem: string } {
  if (value === "*") return [{ kind: "everyone" }];
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return { problem: 'that is neither "*" nor an object' };
  }
  const aws = (value as Record<string, unknown>).AWS;
  if (aws === undefined) return [];
  const names = typeof aws === "string" ? [aws] : aws;
  if (!Array.isArray(names) || !names.every((name): name is string => typeof name === "string")) {
    return { problem: "whose AWS entry is neither a string nor a list of strings" };
  }
  return names.map(toEntry);
}

function toEntry(name: string): PrincipalEntry {
  if (name === "*") return { kind: "everyone" };
  if (ACCOUNT_ID.test(name)) return { kind: "account", accountId: name };
  const root = ACCOUNT_ROOT_ARN.exec(name);
  if (root?.[1]) return { kind: "account", accountId: root[1] };
  return { kind: "arn", arn: name };
}

/**
 * For Principal: the most specific way an entry names the caller, or null. For NotPrincipal: AWS may
 * check the caller's account before the caller itself, so the caller escapes the statement only when
 * both are listed (or `*` is); a matching NotPrincipal statement reaches the caller as `everyone` would.
 */
export function principalVia(element: PrincipalElement, request: AccessRequest): PrincipalVia | null {
  const names = (entry: PrincipalEntry) => entry.kind === "arn" && entry.arn === request.principalArn;
  const namesAccount = (entry: PrincipalEntry) =>
    entry.kind === "account" && entry.accountId === request.principalAccountId;
  const namesEveryone = (entry: PrincipalEntry) => entry.kind === "everyone";
  const { entries } = element;
  if (element.negated) {
    const exempt = entries.some(namesEveryone) || (entries.some(names) && entries.some(namesAccount));
    return exempt ? null : "everyone";
  }
  if (entries.some(names)) return "principal";
  if (entries.some(namesEveryone)) return "everyone";
  if (entries.some(namesAccount)) return "account";
  return null;
}
