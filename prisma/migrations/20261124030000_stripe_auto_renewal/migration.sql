-- AlterTable
ALTER TABLE "Entitlement" ADD COLUMN     "autoRenews" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "StripeEvent" ADD COLUMN     "cancelsAtPeriodEnd" BOOLEAN;

