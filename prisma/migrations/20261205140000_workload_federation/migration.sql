-- OIDC workload federation: the identities customers trust, the account's OIDC providers, and each
-- customer's workload role.
-- CreateEnum
CREATE TYPE "WorkloadIssuerKind" AS ENUM ('GITHUB_ACTIONS', 'GITLAB_CI', 'KUBERNETES', 'OTHER');

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "workloadRoleArn" TEXT;

-- CreateTable
CREATE TABLE "WorkloadIdentity" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "kind" "WorkloadIssuerKind" NOT NULL,
    "name" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkloadIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OidcProvider" (
    "issuer" TEXT NOT NULL,
    "arn" TEXT NOT NULL,
    "createdByPullgate" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OidcProvider_pkey" PRIMARY KEY ("issuer")
);

-- CreateIndex
CREATE INDEX "WorkloadIdentity_issuer_idx" ON "WorkloadIdentity"("issuer");

-- CreateIndex
CREATE UNIQUE INDEX "WorkloadIdentity_customerId_issuer_audience_subject_key" ON "WorkloadIdentity"("customerId", "issuer", "audience", "subject");

-- CreateIndex
CREATE UNIQUE INDEX "OidcProvider_arn_key" ON "OidcProvider"("arn");

-- AddForeignKey
ALTER TABLE "WorkloadIdentity" ADD CONSTRAINT "WorkloadIdentity_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

