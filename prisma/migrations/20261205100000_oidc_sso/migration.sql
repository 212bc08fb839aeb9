-- OpenID Connect single sign-on: one connection per vendor team or customer organisation, the
-- email domains routed to each, the provider subjects of its users, and authorizations in flight.
ALTER TABLE "VendorSettings" ADD COLUMN "ssoOnly" BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE "SsoConnection" (
    "id" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "customerId" TEXT,
    "issuer" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "clientSecretCiphertext" TEXT NOT NULL,
    "clientSecretKeyId" TEXT NOT NULL,
    "defaultRole" "UserRole" NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "lastSignInAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SsoConnection_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "SsoDomain" (
    "domain" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "verifiedAt" TIMESTAMP(3),
    "verifiedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SsoDomain_pkey" PRIMARY KEY ("domain")
);

CREATE TABLE "SsoIdentity" (
    "connectionId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SsoIdentity_pkey" PRIMARY KEY ("connectionId","subject")
);

CREATE TABLE "SsoLoginAttempt" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "codeVerifier" TEXT NOT NULL,
    "browserHash" TEXT NOT NULL,
    "userId" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),
    "spentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SsoLoginAttempt_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "SsoConnection_scope_key" ON "SsoConnection"("scope");
CREATE UNIQUE INDEX "SsoConnection_customerId_key" ON "SsoConnection"("customerId");
CREATE INDEX "SsoDomain_connectionId_idx" ON "SsoDomain"("connectionId");
CREATE INDEX "SsoIdentity_userId_idx" ON "SsoIdentity"("userId");
CREATE INDEX "SsoLoginAttempt_browserHash_idx" ON "SsoLoginAttempt"("browserHash");
CREATE INDEX "SsoLoginAttempt_expiresAt_idx" ON "SsoLoginAttempt"("expiresAt");

ALTER TABLE "SsoConnection" ADD CONSTRAINT "SsoConnection_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "SsoDomain" ADD CONSTRAINT "SsoDomain_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "SsoConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "SsoIdentity" ADD CONSTRAINT "SsoIdentity_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "SsoConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "SsoIdentity" ADD CONSTRAINT "SsoIdentity_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "SsoLoginAttempt" ADD CONSTRAINT "SsoLoginAttempt_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "SsoConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;
