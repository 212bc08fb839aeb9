import type { WeekCount } from "@/lib/entitlements/overview";

const WIDTH = 480;
const HEIGHT = 140;
const GAP = 6;

const label = (week: Date) => week.toISOString().slice(5, 10);

/**
 * A weekly bar chart drawn on the server. The SVG is decoration for sighted readers; the same
 * numbers are in a table that screen readers get instead.
 */
export function WeekChart({ title, weeks, tone }: { title: string; weeks: WeekCount[]; tone: "indigo" | "amber" }) {
  const max = Math.max(1, ...weeks.map((w) => w.count));
  const bar = (WIDTH - GAP * (weeks.length - 1)) / weeks.length;
  const fill = tone === "indigo" ? "fill-indigo-600 dark:fill-indigo-400" : "fill-amber-600 dark:fill-amber-400";
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-medium">{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + 18}`} className="h-auto w-full" aria-hidden="true">
        {weeks.map((w, i) => {
          const h = Math.round((w.count / max) * HEIGHT);
          const x = i * (bar + GAP);
          return (
            <g key={w.week.toISOString()}>
              <rect x={x} y={HEIGHT - h} width={bar} height={Math.max(h, 1)} rx={2} className={fill} />
              {i % 2 === 0 && (
                <text x={x + bar / 2} y={HEIGHT + 14} textAnchor="middle" className="fill-slate-600 text-[10px] dark:fill-slate-300">
                  {label(w.week)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Week starting (UTC)</th>
            <th scope="col">Entitlements</th>
          </tr>
        </thead>
        <tbody>
          {weeks.map((w) => (
            <tr key={w.week.toISOString()}>
              <td>{w.week.toISOString().slice(0, 10)}</td>
              <td>{w.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
