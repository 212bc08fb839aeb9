// No imports: the sign-in page's form (a client component) reads these too.

/**
 * Every way a single sign-on can fail, as the sign-in page tells it. The routes pass the code in
 * the address, never a message: nobody can make the page say anything else.
 */
export const SSO_FAILURES = {
  "invalid-email": "Enter your work email address to sign in with single sign-on.",
  "not-set-up": "No single sign-on is set up for this email domain. Sign in with an emailed link or your password.",
  "team-not-set-up": "The vendor team has no single sign-on set up.",
  disabled: "Single sign-on is turned off for this organisation. Sign in with an emailed link or your password.",
  unavailable: "The identity provider could not be reached or did not answer as an OpenID provider. Try again later, or sign in with an emailed link or your password.",
  "rate-limited": "Too many single sign-on attempts. Wait 15 minutes and try again.",
  expired: "This sign-in expired or was started in another browser. Start again from the sign-in page.",
  "provider-refused": "The identity provider did not sign you in.",
  "token-audience": "The identity provider's ID token was not issued to this portal. Ask your administrator to check the client ID.",
  "token-expired": "The identity provider's ID token had expired. Check the provider's clock, then try again.",
  "token-invalid": "The identity provider's answer could not be verified. Ask your administrator to check the single sign-on settings.",
  "email-not-allowed": "Your identity provider did not give an email address in a domain this organisation uses for sign-in.",
  "other-organisation": "This account cannot sign in through this identity provider.",
} as const;

export type SsoFailureCode = keyof typeof SSO_FAILURES;

export const isSsoFailureCode = (value: unknown): value is SsoFailureCode => typeof value === "string" && Object.hasOwn(SSO_FAILURES, value);
