// The tag that marks what Pullgate manages, and the only thing its AWS rights reach. The vendor
// marks repositories (in the console, the CLI or its stack), never the portal: a portal that could
// mark a repository could then rewrite its policy. The portal marks the customer users it
// creates, in the CreateUser call itself, and may change only users so marked.
export const MANAGED_TAG = { key: "pullgate:managed", value: "true" } as const;

/** A policy condition: the resource carries the mark. */
export const carriesManagedTag = () => ({ [`aws:ResourceTag/${MANAGED_TAG.key}`]: MANAGED_TAG.value });
