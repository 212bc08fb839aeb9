-- Brokered registry credentials: customers' pull tokens, and when each customer's latest brokered
-- session ends (its source identity stays denied on the broker role until then once revoked).
-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "brokerDenied" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "brokeredUntil" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "PullToken" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdById" TEXT,
    "expiresAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "revokedReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PullToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PullToken_hash_key" ON "PullToken"("hash");

-- CreateIndex
CREATE INDEX "PullToken_customerId_idx" ON "PullToken"("customerId");

-- CreateIndex
CREATE INDEX "PullToken_createdById_idx" ON "PullToken"("createdById");

-- AddForeignKey
ALTER TABLE "PullToken" ADD CONSTRAINT "PullToken_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullToken" ADD CONSTRAINT "PullToken_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

