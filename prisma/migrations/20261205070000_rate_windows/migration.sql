-- One table for every rate limit's counters, keyed by a namespaced key. Counters live for minutes:
-- the old tables' rows are dropped, not moved.
DROP TABLE "ApiRateWindow";
DROP TABLE "SignInRateWindow";

CREATE TABLE "RateWindow" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "RateWindow_pkey" PRIMARY KEY ("key","windowStart")
);

CREATE INDEX "RateWindow_windowStart_idx" ON "RateWindow"("windowStart");
