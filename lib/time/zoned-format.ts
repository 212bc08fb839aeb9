// Dates are shown in the viewer's time zone. Only numeric parts come from Intl and the offset is
// computed here, so the server's and the browser's ICU data render the same text.

export const TIME_ZONE_COOKIE = "tz";

/** The zone when the runtime knows it, else UTC: a cookie is untrusted input. */
export function knownTimeZone(zone: string | undefined): string {
  if (!zone) return "UTC";
  try {
    return formatterFor(zone).resolvedOptions().timeZone;
  } catch {
    return "UTC";
  }
}

const pad = (n: number) => String(n).padStart(2, "0");

// Building a formatter costs far more than using one, and a page shows dozens of dates.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string) {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

type WallClock = { year: number; month: number; day: number; hour: number; minute: number };

function wallClock(date: Date, zone: string): WallClock {
  const parts = formatterFor(zone).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: part("year"), month: part("month"), day: part("day"), hour: part("hour"), minute: part("minute") };
}

/** "UTC", "UTC+1", "UTC-3:30": the zone's offset from UTC at that moment. */
function offsetLabel(date: Date, w: WallClock) {
  const minutes = Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(date.getTime() / 60_000) * 60_000) / 60_000);
  if (minutes === 0) return "UTC";
  const sign = minutes > 0 ? "+" : "-";
  const abs = Math.abs(minutes);
  return `UTC${sign}${Math.floor(abs / 60)}${abs % 60 ? `:${pad(abs % 60)}` : ""}`;
}

/** "2026-11-22 20:45 UTC+1" in the given zone. */
export function formatInZone(date: Date, zone: string) {
  const w = wallClock(date, zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)} ${offsetLabel(date, w)}`;
}

/** "2026-11-22 19:45:12 UTC", for the hover text. */
export function formatUtcSeconds(date: Date) {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}
