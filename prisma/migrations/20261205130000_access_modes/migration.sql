-- Access modes per product: which ways its customers may pull, and the one a new customer starts with.
-- CreateEnum
CREATE TYPE "AccessMode" AS ENUM ('IAM_USER_KEY', 'OWN_ACCOUNT', 'BROKERED_TOKEN', 'OIDC_FEDERATION');

-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "accessModes" "AccessMode"[] DEFAULT ARRAY['IAM_USER_KEY', 'OWN_ACCOUNT', 'BROKERED_TOKEN']::"AccessMode"[],
ADD COLUMN     "defaultAccessMode" "AccessMode" NOT NULL DEFAULT 'IAM_USER_KEY';

