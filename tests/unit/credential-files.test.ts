import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { credentialsFileEntry, environmentVariables } from "@/lib/customers/credential-files";

const key = { accessKeyId: "AKIAEXAMPLE000000001", secretAccessKey: "wJalr/XUtnFEMI+K7MDENG/bPxRfiCYEXAMPLEKEY" };

describe("the customer's key as files", () => {
  it("is a credentials-file profile the AWS CLI reads back", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "creds-")), "credentials");
    writeFileSync(file, credentialsFileEntry({ profile: "acme-analytics", ...key }));
    const read = (name: string) =>
      execFileSync("aws", ["configure", "get", name, "--profile", "acme-analytics"], {
        env: { ...process.env, AWS_SHARED_CREDENTIALS_FILE: file, AWS_CONFIG_FILE: "/dev/null" },
        encoding: "utf8",
      }).trim();
    expect(read("aws_access_key_id")).toBe(key.accessKeyId);
    expect(read("aws_secret_access_key")).toBe(key.secretAccessKey);
  });

  it("is environment variables a shell exports as they are, region included when known", () => {
    const script = `${environmentVariables({ ...key, region: "eu-central-1" })}printf '%s|%s|%s' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_REGION"`;
    expect(execFileSync("/bin/sh", ["-c", script], { encoding: "utf8" })).toBe(`${key.accessKeyId}|${key.secretAccessKey}|eu-central-1`);
    expect(environmentVariables(key)).not.toContain("AWS_REGION");
  });
});
