-- CreateEnum
CREATE TYPE "ApiKeyScope" AS ENUM ('READ', 'READ_WRITE');

-- AlterTable: keys made before scopes keep writing, so current integrations go on working.
-- New keys get no default: each one is made with a chosen scope.
ALTER TABLE "ApiKey" ADD COLUMN     "scope" "ApiKeyScope" NOT NULL DEFAULT 'READ_WRITE',
ADD COLUMN     "ownedByUser" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "expiresAt" TIMESTAMP(3),
ADD COLUMN     "revokedReason" TEXT;
ALTER TABLE "ApiKey" ALTER COLUMN "scope" DROP DEFAULT;

-- A key whose creator is still there is theirs. One whose creator is already gone keeps working without an owner.
UPDATE "ApiKey" SET "ownedByUser" = true WHERE "createdById" IS NOT NULL;

-- An endpoint may name a user removed before this foreign key existed.
UPDATE "WebhookEndpoint" SET "createdById" = NULL WHERE "createdById" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "User" WHERE "User"."id" = "WebhookEndpoint"."createdById");

-- AddForeignKey
ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
