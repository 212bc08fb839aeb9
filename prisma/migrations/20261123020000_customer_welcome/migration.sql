-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "welcomedAt" TIMESTAMP(3);

-- Existing customers were emailed an invitation when they were created: they are not welcomed again.
UPDATE "Customer" SET "welcomedAt" = "createdAt";
