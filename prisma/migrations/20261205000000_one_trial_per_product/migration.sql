-- A customer gets a trial only of a product it never had, so it never holds two trials of one
-- product. The grant takes a lock for its check, and this index keeps the rule against any write
-- that does not. Partial indexes cannot be declared in schema.prisma, so the index lives here only.
CREATE UNIQUE INDEX "Entitlement_one_trial_per_product" ON "Entitlement"("customerId", "productId") WHERE "kind" = 'TRIAL';
