-- CreateEnum
CREATE TYPE "BulkOperationKind" AS ENUM ('EXTEND', 'REVOKE', 'REPROVISION');

-- CreateEnum
CREATE TYPE "BulkOperationStatus" AS ENUM ('QUEUED', 'RUNNING', 'DONE', 'CANCELLED');

-- CreateEnum
CREATE TYPE "BulkItemStatus" AS ENUM ('PENDING', 'OK', 'SKIPPED', 'FAILED');

-- CreateTable
CREATE TABLE "BulkOperation" (
    "id" TEXT NOT NULL,
    "kind" "BulkOperationKind" NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "createdByType" "ActorType" NOT NULL,
    "createdById" TEXT,
    "createdByLabel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "status" "BulkOperationStatus" NOT NULL DEFAULT 'QUEUED',

    CONSTRAINT "BulkOperation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BulkOperationItem" (
    "id" TEXT NOT NULL,
    "operationId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "input" TEXT NOT NULL,
    "entitlementId" TEXT,
    "expiresAt" TIMESTAMP(3),
    "status" "BulkItemStatus" NOT NULL DEFAULT 'PENDING',
    "claimedAt" TIMESTAMP(3),
    "message" TEXT,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "BulkOperationItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BulkOperation_createdAt_idx" ON "BulkOperation"("createdAt");

-- CreateIndex
CREATE INDEX "BulkOperation_finishedAt_idx" ON "BulkOperation"("finishedAt");

-- CreateIndex
CREATE INDEX "BulkOperationItem_operationId_status_position_idx" ON "BulkOperationItem"("operationId", "status", "position");

-- CreateIndex
CREATE UNIQUE INDEX "BulkOperationItem_operationId_position_key" ON "BulkOperationItem"("operationId", "position");

-- AddForeignKey
ALTER TABLE "BulkOperationItem" ADD CONSTRAINT "BulkOperationItem_operationId_fkey" FOREIGN KEY ("operationId") REFERENCES "BulkOperation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

