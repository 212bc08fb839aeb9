-- AlterTable
ALTER TABLE "Repository" ADD COLUMN     "writeDueAt" TIMESTAMP(3);
