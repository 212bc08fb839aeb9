/** The customer-managed policy every customer user carries: a registry token and nothing else. */
export function loginPolicyDocument() {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "RegistryLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" }],
  };
}
