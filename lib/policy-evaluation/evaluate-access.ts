// AWS's evaluation logic for one request, restricted to what decides an ECR pull: identity
// policies, a permissions boundary and the repository policy (no SCPs or session policies, and of
// condition keys only the resource's tags). Where this evaluator cannot be sure, it leans towards
// "not allowed". Policy variables such as ${aws:username} are not substituted: they only match
// themselves.

import { matchStatement } from "./match-statement";
import type { PrincipalVia } from "./principals";
import { readPolicy } from "./statements";
import type { AccessRequest, Decision, PolicyKind, PolicySet, PolicySource, StatementRef } from "./types";

/** A statement that applies to the request. */
type Hit = { ref: StatementRef; statement: string; source: string; via: PrincipalVia | null; caveats: string[] };

/** Where a statement is, to name it in a reason. */
type Place = Pick<Hit, "statement" | "source">;

type Findings = {
  source: string;
  allows: Hit[];
  uncertainAllows: Hit[];
  /** Allows that would apply but for a Condition that does not hold. */
  unmetAllows: Place[];
  denies: Hit[];
  problems: string[];
};

export function evaluateAccess(request: AccessRequest, policies: PolicySet): Decision {
  const identity = policies.identity.map((source) => examine("identity", source, request));
  const boundary = policies.boundary && examine("boundary", policies.boundary, request);
  const resource = policies.resource && examine("resource", policies.resource, request);
  const all = [...identity, ...(boundary ? [boundary] : []), ...(resource ? [resource] : [])];
  const decision = (allowed: boolean, reason: string): Decision => ({
    allowed,
    reason,
    allowedBy: all.flatMap((findings) => findings.allows.map((hit) => hit.ref)),
    deniedBy: all.flatMap((findings) => findings.denies.map((hit) => hit.ref)),
  });

  // An explicit deny wins over any allow, wherever it is.
  const deny = all.flatMap((findings) => findings.denies)[0];
  if (deny) {
    const caveat = deny.caveats.length > 0 ? ` (${deny.caveats.join(", and ")}, so it counts as denying)` : "";
    return decision(false, `Denied by ${describe(deny)}${caveat}`);
  }
  const grant = findGrant(request, identity, boundary, resource);
  if (grant.allowed) return decision(true, grant.reason);
  return decision(false, [grant.reason, ...doubts(all)].join("; "));
}

function examine(kind: PolicyKind, policy: PolicySource, request: AccessRequest): Findings {
  const source = sourceLabel(kind, policy.name);
  const { statements, problems } = readPolicy(policy.document, kind);
  const findings: Findings = { source, allows: [], uncertainAllows: [], unmetAllows: [], denies: [], problems };
  for (const statement of statements) {
    const match = matchStatement(statement, request);
    if (!match.applies) {
      // Kept so a refusal can name the tag-scoped allow that did not hold, not just "no statement".
      if (match.conditionFailed && statement.effect === "Allow") findings.unmetAllows.push({ statement: statement.label, source });
      continue;
    }
    const ref: StatementRef = { kind, source: policy.name, ...(statement.sid === undefined ? {} : { sid: statement.sid }) };
    const hit: Hit = { ref, statement: statement.label, source, via: match.via, caveats: match.caveats };
    if (statement.effect === "Deny") findings.denies.push(hit);
    // An Allow whose restrictions cannot be checked might not hold, so it grants nothing here.
    else if (match.caveats.length > 0) findings.uncertainAllows.push(hit);
    else findings.allows.push(hit);
  }
  return findings;
}

function findGrant(
  request: AccessRequest,
  identity: Findings[],
  boundary: Findings | undefined,
  resource: Findings | undefined,
): { allowed: boolean; reason: string } {
  const allowed = (reason: string) => ({ allowed: true, reason });
  const notAllowed = (reason: string) => ({ allowed: false, reason });
  const identityAllow = identity.flatMap((findings) => findings.allows)[0];
  // A boundary never grants; it only caps what identity policies (and some resource grants) give.
  const refusing = boundary && boundary.allows.length === 0 ? boundary : undefined;
  const inBoundary = boundary ? `, within ${boundary.source}` : "";
  const resourceAllow = (via: PrincipalVia) => resource?.allows.find((hit) => hit.via === via);
  const byPrincipal = resourceAllow("principal");
  const byEveryone = resourceAllow("everyone");
  const byAccount = resourceAllow("account");
  const resourceGrant = byPrincipal ?? byEveryone ?? byAccount;
  const nothingAllows = () =>
    notAllowed(
      boundary && !refusing
        ? `Only ${boundary.source} allows ${request.action} on ${request.resourceArn}, and a boundary grants nothing by itself`
        : `No statement allows ${request.action} on ${request.resourceArn}`,
    );

  if (request.principalAccountId !== request.resourceAccountId) {
    // Across accounts the repository must let the caller in, and the caller's own policies must let it out.
    if (resourceGrant && identityAllow && !refusing) {
      return allowed(`Allowed by ${describe(resourceGrant)} and by ${identityPhrase(identityAllow)}${inBoundary}`);
    }
    if (!resourceGrant && !identityAllow) return nothingAllows();
    const lacking = [
      ...(resourceGrant ? [] : [resource ? "the repository policy does not allow this principal" : "the repository has no policy"]),
      ...(identityAllow ? [] : ["no identity policy allows it"]),
      ...(identityAllow && refusing ? [`${refusing.source} does not allow it`] : []),
    ];
    return notAllowed(
      `Cross-account access needs both the repository policy and the principal's own policies to allow it, but ${lacking.join(" and ")}`,
    );
  }

  if (identityAllow && !refusing) return allowed(`Allowed by ${identityPhrase(identityAllow)}${inBoundary}`);
  // A repository policy naming the user's ARN is not limited by the user's permissions boundary.
  if (byPrincipal) return allowed(`Allowed by ${describe(byPrincipal)}`);
  // AWS exempts from the boundary only grants naming the user; a grant to everyone stays within it.
  if (byEveryone && !refusing) return allowed(`Allowed by ${describe(byEveryone)} (Principal "*")${inBoundary}`);
  if (identityAllow && refusing) {
    return notAllowed(`${capitalize(identityAllow.source)} allows it but ${refusing.source} does not`);
  }
  if (byEveryone && refusing) {
    return notAllowed(`${capitalize(describe(byEveryone))} allows everyone ("*") but ${refusing.source} does not`);
  }
  // Within one account, naming the account only defers to the account's identity policies.
  if (byAccount) {
    return notAllowed(
      `${capitalize(describe(byAccount))} names the principal's account, which defers to the account's identity policies, and none of them allows it`,
    );
  }
  return nothingAllows();
}

/** Why statements that might have mattered did not count. */
function doubts(all: Findings[]): string[] {
  return all.flatMap((findings) => [
    ...findings.uncertainAllows.map((hit) => `${describe(hit)} would allow it but does not count: ${hit.caveats.join(", and ")}`),
    ...findings.unmetAllows.map((place) => `${describe(place)} would allow it but its Condition does not hold for the repository's tags`),
    ...(findings.problems.length > 0 ? [`could not read all of ${findings.source}: ${findings.problems.join(", ")}`] : []),
  ]);
}

function sourceLabel(kind: PolicyKind, name: string): string {
  if (kind === "identity") return `identity policy "${name}"`;
  if (kind === "boundary") return `the permissions boundary "${name}"`;
  return "the repository policy";
}

function describe(place: Place): string {
  return `${place.statement} of ${place.source}`;
}

function identityPhrase(hit: Hit): string {
  return `${hit.source} (${hit.statement})`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
