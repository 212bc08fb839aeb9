-- AlterTable: accounts registered before proofs existed stay unproven (provenAt null): they keep
-- their grants, get no new ones and no pull history until their customer proves them.
ALTER TABLE "CustomerAccount" ADD COLUMN     "provenAt" TIMESTAMP(3),
ADD COLUMN     "provenBy" TEXT;

-- CreateTable
CREATE TABLE "AccountProofChallenge" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "AccountProofChallenge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AccountProofChallenge_nonce_key" ON "AccountProofChallenge"("nonce");

-- CreateIndex
CREATE INDEX "AccountProofChallenge_customerId_accountId_idx" ON "AccountProofChallenge"("customerId", "accountId");

-- AddForeignKey
ALTER TABLE "AccountProofChallenge" ADD CONSTRAINT "AccountProofChallenge_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
