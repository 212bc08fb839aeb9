import type { ReactNode } from "react";
import type { DisplayState } from "@/lib/lifecycle/entitlement-lifecycle";

// Light backgrounds with dark text in both color schemes keep contrast above 7:1; the word itself carries the meaning.
const tones = {
  green: "bg-emerald-100 text-emerald-900 ring-emerald-700/40",
  blue: "bg-sky-100 text-sky-900 ring-sky-700/40",
  amber: "bg-amber-100 text-amber-900 ring-amber-700/40",
  red: "bg-red-100 text-red-900 ring-red-700/40",
  gray: "bg-slate-200 text-slate-900 ring-slate-700/40",
} as const;

export type BadgeTone = keyof typeof tones;

export function Badge({ tone = "gray", children, testId }: { tone?: BadgeTone; children: ReactNode; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${tones[tone]}`}
    >
      {children}
    </span>
  );
}

const stateTones: Record<DisplayState, BadgeTone> = {
  active: "green",
  grace: "amber",
  scheduled: "blue",
  provisioning: "blue",
  revoking: "amber",
  failed: "red",
  suspended: "gray",
  expired: "gray",
  revoked: "gray",
};

export function StateBadge({ state, testId }: { state: DisplayState; testId?: string }) {
  return (
    <Badge tone={stateTones[state]} testId={testId}>
      {state}
    </Badge>
  );
}
