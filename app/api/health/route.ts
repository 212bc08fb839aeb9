import { NextResponse } from "next/server";
import { checkHealth } from "@/lib/health/check-health";
import { mayReadHealthDetails } from "@/lib/health/health-details-access";

export const dynamic = "force-dynamic";

/** Liveness for anyone (200 or 503, no details); the checks' details for an admin or the health token. */
export async function GET(request: Request) {
  const [health, details] = await Promise.all([checkHealth(), mayReadHealthDetails(request)]);
  const body = { status: health.ok ? "ok" : "degraded", ...(details ? health : {}) };
  return NextResponse.json(body, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
