-- Purchases route by a verified identity: the paying Stripe customer once seen, or an address that
-- is not a pending invitation.
ALTER TABLE "Customer" ADD COLUMN "stripeCustomerId" TEXT;
CREATE UNIQUE INDEX "Customer_stripeCustomerId_key" ON "Customer"("stripeCustomerId");

ALTER TABLE "StripeEvent" ADD COLUMN "stripeCustomerId" TEXT;

ALTER TABLE "User" ADD COLUMN "invitedAt" TIMESTAMP(3);
-- Users invited before this column existed are known by their invitation's audit event.
UPDATE "User" u SET "invitedAt" = u."createdAt"
WHERE EXISTS (SELECT 1 FROM "AuditEvent" a WHERE a."action" = 'user.invited' AND a."data"->>'userId' = u."id");
