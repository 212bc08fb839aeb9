-- Each pull token's latest brokered session end and whether the broker role's deny names it.
ALTER TABLE "PullToken" ADD COLUMN     "brokerDenied" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "brokeredUntil" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "PullToken_brokeredUntil_idx" ON "PullToken"("brokeredUntil");

-- CreateIndex
CREATE INDEX "PullToken_brokerDenied_idx" ON "PullToken"("brokerDenied");
