// IAM's wildcard matching: `*` matches any run of characters (including none), `?` exactly one.

export function matchesWildcard(pattern: string, value: string, options: { ignoreCase?: boolean } = {}): boolean {
  const p = options.ignoreCase ? pattern.toLowerCase() : pattern;
  const v = options.ignoreCase ? value.toLowerCase() : value;
  let pi = 0;
  let vi = 0;
  // Where the last `*` was and where in the value it started matching, to retry it one character longer.
  let star = -1;
  let starValue = 0;
  while (vi < v.length) {
    if (p[pi] === "*") {
      star = pi++;
      starValue = vi;
    } else if (pi < p.length && (p[pi] === "?" || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (star !== -1) {
      pi = star + 1;
      vi = ++starValue;
    } else {
      return false;
    }
  }
  while (p[pi] === "*") pi++;
  return pi === p.length;
}

/** Actions compare case-insensitively: `ecr:batch*` matches `ecr:BatchGetImage`. */
export function matchesActionPattern(pattern: string, action: string): boolean {
  return matchesWildcard(pattern, action, { ignoreCase: true });
}

/**
 * ARNs compare case-sensitively and segment by segment, so a `*` in the region cannot swallow the
 * account; the last segment (the resource) may itself hold colons. A pattern that is not shaped like
 * an ARN (such as a bare `*`) is matched against the whole ARN.
 */
export function matchesArnPattern(pattern: string, arn: string): boolean {
  const patternSegments = arnSegments(pattern);
  const arnParts = arnSegments(arn);
  if (!patternSegments || !arnParts) return matchesWildcard(pattern, arn);
  return patternSegments.every((segment, i) => matchesWildcard(segment, arnParts[i] ?? ""));
}

function arnSegments(arn: string): string[] | null {
  const parts = arn.split(":");
  if (parts.length < 6) return null;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}
