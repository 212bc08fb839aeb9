import { test as base } from "@playwright/test";
import { readOracleReport } from "../support/aws-oracle/oracle-proxy";
import { sandbox } from "./sandbox";

export { expect, type Page } from "@playwright/test";

/**
 * Playwright's `test`, failing any test during which the app or its worker made an AWS call that
 * AWS would refuse (the sandbox's emulator is behind the AWS oracle). Work a test leaves running
 * in the background is charged to the test it finishes in.
 */
export const test = base.extend<{ awsOracle: void }>({
  awsOracle: [
    async ({}, use) => {
      const endpoint = sandbox().aws.endpoint;
      if (!endpoint) throw new Error("The browser tests need the sandbox's emulator behind the AWS oracle");
      const before = await readOracleReport(endpoint);
      await use();
      const after = await readOracleReport(endpoint);
      const lines = [
        ...after.denied.slice(before.denied.length).map((d) => `AWS would refuse ${d.action} on ${d.resource} to ${d.principal} ${d.reason}`),
        ...after.unjudged.slice(before.unjudged.length).map((u) => `the AWS oracle could not judge ${u}`),
      ];
      if (lines.length) throw new Error(lines.join("\n"));
    },
    { auto: true },
  ],
});
