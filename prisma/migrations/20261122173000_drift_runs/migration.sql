-- CreateTable
CREATE TABLE "DriftRun" (
    "id" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "findings" JSONB NOT NULL DEFAULT '[]',
    "repaired" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "DriftRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DriftRun_startedAt_idx" ON "DriftRun"("startedAt");

