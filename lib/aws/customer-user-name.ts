// Every IAM user Pullgate creates is named with this prefix. The portal's policy relies on it:
// IAM authorizes a call on a user that does not exist against the ARN without a path, which
// only the name can scope.
export const CUSTOMER_USER_PREFIX = "pullgate-";

/** A fresh name per identity generation: IAM refuses to recreate a just-deleted name for a while. */
export const customerUserName = (customerId: string, generation: number) => `${CUSTOMER_USER_PREFIX}${customerId}-${generation}`;
