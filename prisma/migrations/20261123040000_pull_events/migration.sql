-- Image pulls read from the vendor account's CloudTrail logs, and the log files already read.

-- CreateTable
CREATE TABLE "PullEvent" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "region" TEXT NOT NULL,
    "repository" TEXT NOT NULL,
    "image" TEXT NOT NULL,
    "accessKeyId" TEXT,
    "sourceAccountId" TEXT,

    CONSTRAINT "PullEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrailLogFile" (
    "key" TEXT NOT NULL,
    "readAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "pulls" INTEGER NOT NULL,

    CONSTRAINT "TrailLogFile_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "PullEvent_eventId_key" ON "PullEvent"("eventId");

-- CreateIndex
CREATE INDEX "PullEvent_customerId_at_idx" ON "PullEvent"("customerId", "at");

-- CreateIndex
CREATE INDEX "TrailLogFile_readAt_idx" ON "TrailLogFile"("readAt");

-- AddForeignKey
ALTER TABLE "PullEvent" ADD CONSTRAINT "PullEvent_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

