// Whether one statement applies to a request, and what keeps us from being sure it does.

import { evaluateConditions } from "./conditions";
import { principalVia, type PrincipalVia } from "./principals";
import type { PatternList, Statement } from "./statements";
import type { AccessRequest } from "./types";
import { matchesActionPattern, matchesArnPattern } from "./wildcard";

export type StatementMatch =
  | {
      applies: false;
      /** Set when the statement would apply but its Condition, judged on the resource's tags, does not hold. */
      conditionFailed?: true;
    }
  | {
      applies: true;
      /** How a resource policy statement reaches the caller; null for identity and boundary policies. */
      via: PrincipalVia | null;
      /** Why the match is not certain (e.g. it has a Condition); empty when it is. */
      caveats: string[];
    };

export function matchStatement(statement: Statement, request: AccessRequest): StatementMatch {
  if (!matchesList(statement.actions, (p) => matchesActionPattern(p, request.action))) return { applies: false };
  if (statement.resources && !matchesList(statement.resources, (p) => matchesArnPattern(p, request.resourceArn))) {
    return { applies: false };
  }
  const caveats: string[] = [];
  let via: PrincipalVia | null = null;
  if (statement.principals) {
    via = principalVia(statement.principals, request);
    if (!via) return { applies: false };
    if (statement.principals.negated && statement.effect === "Allow") {
      caveats.push("it uses NotPrincipal with Allow, which most resource policies do not support");
    }
  }
  const holds = conditionHolds(statement, request);
  if (holds === false) return { applies: false, conditionFailed: true };
  if (holds === null) caveats.push("it has a Condition, which is not evaluated here");
  return { applies: true, via, caveats };
}

/** True when the statement has no Condition or it holds, false when it fails, null when it cannot be judged. */
function conditionHolds(statement: Statement, request: AccessRequest): boolean | null {
  if (!statement.hasCondition) return true;
  if (!statement.conditions) return null;
  return evaluateConditions(statement.conditions, { principalArn: request.principalArn, resourceTags: request.resourceTags });
}

/** Action/Resource match when any pattern does; NotAction/NotResource when none does. */
function matchesList(list: PatternList, matches: (pattern: string) => boolean): boolean {
  return list.patterns.some(matches) !== list.negated;
}
