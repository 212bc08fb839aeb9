-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "pullTag" SERIAL NOT NULL;

-- AlterTable
ALTER TABLE "Repository" ADD COLUMN     "taggedFor" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Product_pullTag_key" ON "Product"("pullTag");
