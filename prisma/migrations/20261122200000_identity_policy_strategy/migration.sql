-- AlterEnum
ALTER TYPE "GrantStrategy" ADD VALUE 'IDENTITY_POLICY';
-- AlterTable
ALTER TABLE "Repository" ADD COLUMN     "policyChars" INTEGER,
ADD COLUMN     "policyWrittenAt" TIMESTAMP(3),
ADD COLUMN     "strategyReason" TEXT;
-- AlterTable
ALTER TABLE "RepositoryGrant" ADD COLUMN     "inline" BOOLEAN NOT NULL DEFAULT false;
