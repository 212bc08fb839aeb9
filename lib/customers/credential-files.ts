// The customer's key in the two shapes tools read it from: a profile in ~/.aws/credentials, and
// environment variables. Pure, so the browser builds the files from a secret it has just been
// shown, and the secret never travels again.

type Key = { accessKeyId: string; secretAccessKey: string };

/** A profile entry for ~/.aws/credentials (%USERPROFILE%\.aws\credentials on Windows). */
export function credentialsFileEntry({ profile, accessKeyId, secretAccessKey }: Key & { profile: string }) {
  return `[${profile}]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`;
}

/** `export` lines for a POSIX shell; the region too when the registry's is known. */
export function environmentVariables({ accessKeyId, secretAccessKey, region }: Key & { region?: string }) {
  const lines = [`export AWS_ACCESS_KEY_ID=${accessKeyId}`, `export AWS_SECRET_ACCESS_KEY=${secretAccessKey}`];
  if (region) lines.push(`export AWS_REGION=${region}`);
  return `${lines.join("\n")}\n`;
}
