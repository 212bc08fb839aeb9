// IAM refuses DeleteUser (DeleteConflict) while the user still holds a login profile, an SSH key,
// a signing certificate, an MFA device or a group membership; moto deletes such a user anyway.
// Here the portal's IAM client gets IAM's answer, so revocation must empty a user someone
// tampered with by hand before it can delete it.
import { generateKeyPairSync } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { systemActor } from "@/lib/audit/actor";
import { iamClient } from "@/lib/aws/clients";
import { vendorAdmin } from "@/lib/aws/vendor-admin";
import { db } from "@/lib/db";
import { revokeEntitlement } from "@/lib/entitlements/revoke-entitlement";
import { convergeCustomer } from "@/lib/provisioning/converge-customer";
import { awsAdmin } from "../support/aws-admin";
import { probe } from "../support/aws-probe";
import { closePools } from "../support/close-pools";
import { unique } from "../support/seed";

const ctx = inject("integration");
const actor = systemActor("test");
const admin = vendorAdmin({ endpoint: ctx.awsEndpoint, region: ctx.region, accountId: ctx.accountId, credentials: ctx.admin });
const aws = awsAdmin(ctx);

afterAll(async () => {
  admin.destroy();
  aws.destroy();
  await closePools();
});

// A self-signed RSA certificate, as IAM takes for a signing certificate.
const SIGNING_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIDCTCCAfGgAwIBAgIUEcVoiIdeIfSh7NlR5rp2b1M1BOwwDQYJKoZIhvcNAQEL
BQAwEzERMA8GA1UEAwwIdGFtcGVyZWQwIBcNMjYxMjA0MTc1NTExWhgPMjEyNjEx
MTAxNzU1MTFaMBMxETAPBgNVBAMMCHRhbXBlcmVkMIIBIjANBgkqhkiG9w0BAQEF
AAOCAQ8AMIIBCgKCAQEA4IgxYVPmVcpH8Woi32kgBuHPBZc/9+zWo9RryjTcNC9X
RGrjN8j3ZuOYSKeGVzRfNEdd9dnhCrD3nDF7s1dVeA76V+kJ944YqyCbLNNKETGD
buATFKXTSLTdMjMlemug4TEUu6sFcG9mCOTdYv0crtRFNTWGsaJVlThunoxbf5z1
D+7HVfJQwT48bHTnrT0U9Bf4VYEuHFICwUW73yN2YCxSxPwmiGS5GxuzpVgwGOGU
MGwhJOjzAT4KXvLfyJTY/YJVagKAuZjv7Huajg8TYRGkY5Lc7d++VOAP0L1bjYH1
W1bt8SohTKHcBmPKx7GnA6VB9YeA75yT/ort6TEXiQIDAQABo1MwUTAdBgNVHQ4E
FgQUk7Rw8N29AMlkUszyFCJ6n87iDmIwHwYDVR0jBBgwFoAUk7Rw8N29AMlkUszy
FCJ6n87iDmIwDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOCAQEAUSE3
AIFb64qyx5aAZN9A72hYHiwTWtK6Mi53KlOnO9olsQ23pc4xIoHoUkiNJvhwA4aU
pIGHsDjX2r858mimxNY2fKTSgknwTn6aGcoNlj66RYI0fqJJg4LP++1xYRQnuCzc
0dTpyma7Hu5sc0EV3RV1FBbjs3L3Mche8eQvrUNTMfG2v3og3UcybF/A2hJIDB0b
wVpAE5WaIIM8q1thtn3z9yJJPWzbn/aYr2YRqRm8LciT87ZFd5MpsjCTHwzRqY/M
F9I+1IhLPTco4Wv7KeLx5IlaGfQnLKT8hs7iPaSYsFKUmU7LDsSSqvemAPp58R1f
Zb+6EDd+JV/CyO4m1Q==
-----END CERTIFICATE-----
`;

/** An RSA public key in PEM, one of the two forms IAM takes for an SSH key. */
const sshPublicKey = () =>
  generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();

/**
 * Until the returned function is called, the portal's IAM client answers DeleteUser as IAM does
 * while the user holds anything, and lists no service-specific credentials (moto does not
 * implement them; none were added).
 */
function answerAsIam(): () => void {
  const name = "answer-as-iam";
  iamClient().middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "ListServiceSpecificCredentialsCommand") {
        return { output: { $metadata: {}, ServiceSpecificCredentials: [] }, response: {} } as Awaited<ReturnType<typeof next>>;
      }
      if (context.commandName === "DeleteUserCommand") {
        const held = await admin.userLeftovers((args.input as { UserName: string }).UserName);
        if (held.length) {
          const message = `Cannot delete entity, must remove ${held.join(", ")} first.`;
          throw Object.assign(new Error(message), { name: "DeleteConflict", $metadata: { httpStatusCode: 409 } });
        }
      }
      return next(args);
    },
    { step: "initialize", name },
  );
  return () => iamClient().middlewareStack.remove(name);
}

describe("revoking a customer whose IAM user was tampered with", () => {
  it("removes everything added to the user by hand, then the user", async () => {
    const { entitlement } = await aws.grantOnNewProduct("tampered");
    const { userName } = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: entitlement.customerId } });
    const groupName = unique("hand-made");
    await admin.createLoginProfile(userName);
    await admin.uploadSshPublicKey(userName, sshPublicKey());
    await admin.uploadSigningCertificate(userName, SIGNING_CERTIFICATE);
    const mfaSerial = await admin.enableVirtualMfaDevice(userName, unique("hand-made"));
    await admin.addUserToNewGroup(userName, groupName);
    expect((await admin.userLeftovers(userName)).sort()).toEqual(
      ["MFA devices", "SSH public keys", "access keys", "groups", "login profile", "signing certificates"].sort(),
    );

    const restore = answerAsIam();
    try {
      const revoked = await revokeEntitlement({ actor, entitlementId: entitlement.id, reason: "test" });
      expect(await convergeCustomer(revoked.entitlement.customerId, actor)).toEqual({ ok: true });
    } finally {
      restore();
    }

    expect(await probe.userExists(userName)).toBe(false);
    expect(await admin.groupUserNames(groupName)).toEqual([]);
    expect(await admin.virtualMfaDeviceSerials()).not.toContain(mfaSerial);
  });
});
