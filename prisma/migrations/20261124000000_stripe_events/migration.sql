-- CreateTable
CREATE TABLE "StripePrice" (
    "id" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StripePrice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StripeEvent" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" JSONB NOT NULL,
    "subscriptionId" TEXT,
    "periodEnd" TIMESTAMP(3),
    "customerEmail" TEXT,
    "customerName" TEXT,
    "priceIds" TEXT[],
    "entitlementId" TEXT,
    "processedAt" TIMESTAMP(3),
    "outcome" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StripeEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StripePrice_productId_idx" ON "StripePrice"("productId");

-- CreateIndex
CREATE INDEX "StripeEvent_subscriptionId_idx" ON "StripeEvent"("subscriptionId");

-- CreateIndex
CREATE INDEX "StripeEvent_processedAt_nextAttemptAt_idx" ON "StripeEvent"("processedAt", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "StripePrice" ADD CONSTRAINT "StripePrice_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE CASCADE ON UPDATE CASCADE;

