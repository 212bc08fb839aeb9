import { afterEach, beforeEach, inject } from "vitest";
import { readOracleReport, type Denial } from "./oracle-proxy";

// Setup file of the integration tests: a call AWS would refuse fails the test that made it, unless
// the test said it expects that refusal (`expectAccessDenied`).
const ctx = inject("integration");
let seen = { denied: 0, unjudged: 0 };
let expected: ((d: Denial) => boolean)[] = [];

/** The test makes a call AWS refuses on purpose; `matches` picks out which one. */
export function expectAccessDenied(matches: (denial: Denial) => boolean) {
  expected.push(matches);
}

beforeEach(async () => {
  const report = await readOracleReport(ctx.awsEndpoint);
  seen = { denied: report.denied.length, unjudged: report.unjudged.length };
  expected = [];
});

afterEach(async () => {
  const report = await readOracleReport(ctx.awsEndpoint);
  const unexpected = report.denied.slice(seen.denied).filter((d) => !expected.some((matches) => matches(d)));
  const unjudged = report.unjudged.slice(seen.unjudged);
  const lines = [
    ...unexpected.map((d) => `AWS would refuse ${d.action} on ${d.resource} to ${d.principal} ${d.reason}`),
    ...unjudged.map((u) => `the AWS oracle could not judge ${u}`),
  ];
  if (lines.length) throw new Error(lines.join("\n"));
});
