-- Expiry and end-of-access emails, one per entitlement, kind and term.

-- CreateTable
CREATE TABLE "EntitlementNotice" (
    "id" TEXT NOT NULL,
    "entitlementId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "claimedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "EntitlementNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EntitlementNotice_sentAt_claimedAt_idx" ON "EntitlementNotice"("sentAt", "claimedAt");

-- CreateIndex
CREATE UNIQUE INDEX "EntitlementNotice_entitlementId_kind_expiresAt_key" ON "EntitlementNotice"("entitlementId", "kind", "expiresAt");

-- AddForeignKey
ALTER TABLE "EntitlementNotice" ADD CONSTRAINT "EntitlementNotice_entitlementId_fkey" FOREIGN KEY ("entitlementId") REFERENCES "Entitlement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

