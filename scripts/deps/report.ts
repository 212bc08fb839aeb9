// `npm run deps`: the layering's figures, measured from the code's imports (dependency-cruiser
// with .dependency-cruiser.mjs): folder and module cycles, imports running up the layers, and
// database / AWS / job-engine imports in app/ and components/. `--list` names every violation.
import { spawnSync } from "node:child_process";

type Violation = { from: string; to: string; rule: { name: string } };
type Module = { source: string; dependencies: { resolved: string }[] };
type Cruise = { modules: Module[]; summary: { violations: Violation[]; totalCruised: number; totalDependenciesCruised: number } };

const CRUISED = ["app", "components", "lib", "scripts", "bench", "instrumentation.ts", "proxy.ts"];

function cruise(): Cruise {
  const run = spawnSync("npx", ["depcruise", ...CRUISED, "--output-type", "json"], { encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
  if (!run.stdout) throw new Error(`depcruise failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Cruise;
}

/** lib's folders (lib/db.ts and its like count as "lib/db"), else the top folder. */
const folderOf = (file: string) => {
  const [top, second] = file.split("/");
  return top === "lib" && second ? `lib/${second.replace(/\.tsx?$/, "")}` : top!;
};

function folderCycles(modules: Module[]) {
  const edges = new Set<string>();
  for (const m of modules) {
    for (const d of m.dependencies) {
      const [a, b] = [folderOf(m.source), folderOf(d.resolved)];
      if (a !== b && a.startsWith("lib/") && b.startsWith("lib/")) edges.add(`${a} ${b}`);
    }
  }
  return [...edges].filter((e) => {
    const [a, b] = e.split(" ") as [string, string];
    return a < b && edges.has(`${b} ${a}`);
  });
}

function main() {
  const result = cruise();
  const violations = result.summary.violations;
  const byRule = (test: (name: string) => boolean) => violations.filter((v) => test(v.rule.name));
  const upward = byRule((n) => n.startsWith("no-upward:"));
  const figures: [string, Violation[] | string[]][] = [
    ["folder pairs in lib that import each other", folderCycles(result.modules).map((e) => e.replace(" ", " <-> "))],
    ["modules in an import cycle", byRule((n) => n === "no-cycle")],
    ["imports running up the layers", upward],
    ["database imports in app/ and components/", byRule((n) => n === "no-database-in-ui")],
    ["AWS and job-engine imports in app/ and components/", byRule((n) => n === "no-aws-in-ui")],
  ];
  const list = process.argv.includes("--list");
  console.log(`deps: ${result.summary.totalCruised} modules, ${result.summary.totalDependenciesCruised} imports`);
  for (const [label, items] of figures) {
    console.log(`${String(items.length).padStart(4)}  ${label}`);
    if (!list) continue;
    for (const item of items) console.log(`        ${typeof item === "string" ? item : `${item.from} -> ${item.to}  (${item.rule.name})`}`);
  }
  const perRule = new Map<string, number>();
  for (const v of upward) perRule.set(v.rule.name, (perRule.get(v.rule.name) ?? 0) + 1);
  for (const [rule, count] of [...perRule].sort()) console.log(`        ${count}  ${rule.replace("no-upward:", "")}`);
}

main();
