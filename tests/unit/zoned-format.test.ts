import { describe, expect, it } from "vitest";
import { formatInZone, formatUtcSeconds, knownTimeZone } from "@/lib/time/zoned-format";

const moment = new Date("2026-11-22T19:45:30Z");

describe("dates in the viewer's time zone", () => {
  it("shows the wall clock and the offset of the zone at that moment", () => {
    expect(formatInZone(moment, "UTC")).toBe("2026-11-22 19:45 UTC");
    expect(formatInZone(moment, "Europe/Berlin")).toBe("2026-11-22 20:45 UTC+1");
    expect(formatInZone(new Date("2026-07-01T12:00:00Z"), "Europe/Berlin")).toBe("2026-07-01 14:00 UTC+2");
    expect(formatInZone(moment, "Asia/Kolkata")).toBe("2026-11-23 01:15 UTC+5:30");
    expect(formatInZone(moment, "America/St_Johns")).toBe("2026-11-22 16:15 UTC-3:30");
    expect(formatInZone(new Date("2026-01-01T00:00:00Z"), "America/Los_Angeles")).toBe("2025-12-31 16:00 UTC-8");
  });

  it("falls back to UTC for a missing or unknown zone", () => {
    expect(knownTimeZone(undefined)).toBe("UTC");
    expect(knownTimeZone("Mars/Olympus_Mons")).toBe("UTC");
    expect(knownTimeZone("")).toBe("UTC");
    expect(knownTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
  });

  it("gives UTC to the second for the hover text", () => {
    expect(formatUtcSeconds(moment)).toBe("2026-11-22 19:45:30 UTC");
  });
});
