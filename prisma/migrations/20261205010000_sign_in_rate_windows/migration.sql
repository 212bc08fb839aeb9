-- CreateTable
CREATE TABLE "SignInRateWindow" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL,

    CONSTRAINT "SignInRateWindow_pkey" PRIMARY KEY ("key","windowStart")
);

-- CreateIndex
CREATE INDEX "SignInRateWindow_windowStart_idx" ON "SignInRateWindow"("windowStart");
