-- TOTP second factor: sealed secrets, one-time recovery codes, verified sessions and the MFA rules.
ALTER TABLE "Customer" ADD COLUMN "requireMfa" BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE "User" ADD COLUMN "totpSecretCiphertext" TEXT,
ADD COLUMN "totpSecretKeyId" TEXT,
ADD COLUMN "totpEnabledAt" TIMESTAMP(3),
ADD COLUMN "totpLastStep" INTEGER,
ADD COLUMN "mfaFailures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "mfaLockedUntil" TIMESTAMP(3);

CREATE TABLE "RecoveryCode" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecoveryCode_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "VerifiedSession" (
    "id" TEXT NOT NULL,
    "sid" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "verifiedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VerifiedSession_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "VendorSettings" (
    "id" TEXT NOT NULL DEFAULT 'vendor',
    "requireMfa" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VendorSettings_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "RecoveryCode_userId_codeHash_key" ON "RecoveryCode"("userId", "codeHash");

CREATE UNIQUE INDEX "VerifiedSession_sid_key" ON "VerifiedSession"("sid");

CREATE INDEX "VerifiedSession_userId_idx" ON "VerifiedSession"("userId");

ALTER TABLE "RecoveryCode" ADD CONSTRAINT "RecoveryCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "VerifiedSession" ADD CONSTRAINT "VerifiedSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
