/** Whose identity provider: the vendor team's, or one customer organisation's. */
export type SsoScope = { kind: "vendor" } | { kind: "customer"; customerId: string };

/** The connection's unique key: one provider per team or organisation. */
export const scopeKey = (scope: SsoScope) => (scope.kind === "vendor" ? "vendor" : `customer:${scope.customerId}`);

export const customerIdOf = (scope: SsoScope) => (scope.kind === "customer" ? scope.customerId : null);
