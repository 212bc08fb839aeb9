/** The customer-managed policy every customer user carries: a registry token and nothing else. */
export function loginPolicyDocument() {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "RegistryLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" }],
  };
}

/** True when the document allows ecr:GetAuthorizationToken and nothing else. */
export function grantsOnlyRegistryLogin(document: unknown): boolean {
  const statement = (document as { Statement?: unknown })?.Statement;
  const statements = Array.isArray(statement) ? statement : statement ? [statement] : [];
  return (
    statements.length > 0 &&
    statements.every((s: Record<string, unknown>) => {
      const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
      const onlyLogin = actions.every((a) => typeof a === "string" && a.toLowerCase() === "ecr:getauthorizationtoken");
      return s.Effect === "Allow" && onlyLogin && !("NotAction" in s) && !("NotResource" in s);
    })
  );
}
