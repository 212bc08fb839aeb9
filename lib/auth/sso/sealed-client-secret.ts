import { open, seal } from "@/lib/crypto/secret-box";

// Bound to the connection's scope, which is unique and never changes: a sealed secret copied to
// another connection does not open there.
export const clientSecretAad = (scope: string) => `sso-client-secret:${scope}`;

export const sealClientSecret = (secret: string, scope: string) => seal(secret, clientSecretAad(scope));

export const openClientSecret = (row: { scope: string; clientSecretCiphertext: string; clientSecretKeyId: string }) =>
  open(row.clientSecretCiphertext, row.clientSecretKeyId, clientSecretAad(row.scope));
