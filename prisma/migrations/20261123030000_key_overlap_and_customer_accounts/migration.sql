-- Where customers renew, shown on their download page.
ALTER TABLE "Product" ADD COLUMN "renewalUrl" TEXT;

-- Key rotation with an overlap: a retiring key keeps working until retireAfter.
ALTER TABLE "AccessKey" ADD COLUMN "retireAfter" TIMESTAMP(3);
CREATE INDEX "AccessKey_status_retireAfter_idx" ON "AccessKey"("status", "retireAfter");

-- Customers may pull with their own AWS accounts, besides or instead of a Pullgate access key.
ALTER TABLE "Customer" ADD COLUMN "keyAccess" BOOLEAN NOT NULL DEFAULT true;

CREATE TABLE "CustomerAccount" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "liveFor" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "CustomerAccount_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "CustomerAccount_customerId_idx" ON "CustomerAccount"("customerId");
CREATE UNIQUE INDEX "CustomerAccount_liveFor_accountId_key" ON "CustomerAccount"("liveFor", "accountId");
ALTER TABLE "CustomerAccount" ADD CONSTRAINT "CustomerAccount_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A grant belongs to the customer's IAM user or to one of its accounts. customerId is carried on
-- the grant so the repository reconcile knows whose it is either way.
ALTER TABLE "RepositoryGrant" ADD COLUMN "customerAccountId" TEXT,
ADD COLUMN "customerId" TEXT,
ALTER COLUMN "identityId" DROP NOT NULL;
UPDATE "RepositoryGrant" g SET "customerId" = i."customerId" FROM "AwsIdentity" i WHERE i."id" = g."identityId";
ALTER TABLE "RepositoryGrant" ALTER COLUMN "customerId" SET NOT NULL;
CREATE INDEX "RepositoryGrant_customerId_idx" ON "RepositoryGrant"("customerId");
CREATE UNIQUE INDEX "RepositoryGrant_repositoryId_customerAccountId_key" ON "RepositoryGrant"("repositoryId", "customerAccountId");
ALTER TABLE "RepositoryGrant" ADD CONSTRAINT "RepositoryGrant_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "RepositoryGrant" ADD CONSTRAINT "RepositoryGrant_customerAccountId_fkey" FOREIGN KEY ("customerAccountId") REFERENCES "CustomerAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
