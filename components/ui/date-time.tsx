"use client";

import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect } from "react";
import { formatInZone, formatUtcSeconds, TIME_ZONE_COOKIE } from "@/lib/time/zoned-format";

const TimeZone = createContext("UTC");

/**
 * Gives every DateTime below the viewer's zone, which the server read from a cookie. On the first
 * visit (or after the viewer travels) the browser stores its zone and the page is rendered again.
 */
export function TimeZoneProvider({ zone, children }: { zone: string; children: React.ReactNode }) {
  const router = useRouter();
  useEffect(() => {
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!browserZone || browserZone === zone) return;
    document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(browserZone)}; path=/; max-age=31536000; samesite=lax`;
    router.refresh();
  }, [zone, router]);
  return <TimeZone.Provider value={zone}>{children}</TimeZone.Provider>;
}

/** A moment in the viewer's time zone, with UTC on hover. */
export function DateTime({ value, fallback = "—" }: { value: Date | string | null | undefined; fallback?: string }) {
  const zone = useContext(TimeZone);
  if (!value) return <span>{fallback}</span>;
  const date = value instanceof Date ? value : new Date(value);
  return (
    <time dateTime={date.toISOString()} title={formatUtcSeconds(date)} className="whitespace-nowrap">
      {formatInZone(date, zone)}
    </time>
  );
}
