-- CreateIndex
CREATE INDEX "Customer_name_idx" ON "Customer"("name");
-- CreateIndex
CREATE INDEX "Entitlement_createdAt_id_idx" ON "Entitlement"("createdAt", "id");
-- CreateIndex
CREATE INDEX "Entitlement_expiresAt_id_idx" ON "Entitlement"("expiresAt", "id");
-- CreateIndex
CREATE INDEX "Entitlement_productId_idx" ON "Entitlement"("productId");
