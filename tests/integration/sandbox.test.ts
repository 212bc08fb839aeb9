// `npm run dev` on a machine with no database server and no AWS account: it keeps the vendor's
// work across restarts (customers, working access keys, the audit log), refuses a second start
// on the same folder, leaves no process behind when its main process is killed outright, and
// starts over with --fresh.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { open } from "@/lib/crypto/secret-box";
import { freePort } from "@/lib/sandbox/free-port";
import { eventually, sleep } from "../support/deadline";
import { alive, bannerOf, describeSandbox, descendants, registryLogin, startSandbox, type RunningSandbox } from "../support/sandbox-process";

const dir = mkdtempSync(path.join(tmpdir(), "pullgate-sandbox-"));
const running: RunningSandbox[] = [];

afterAll(async () => {
  for (const sandbox of running) sandbox.child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

async function api(path: string, init?: RequestInit) {
  const sandbox = describeSandbox(dir);
  const response = await fetch(`${sandbox.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${sandbox.apiKey}`, "content-type": "application/json", ...init?.headers },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The customer's access key as the download page would show it once, read from the database. */
async function customerKey(customerId: string) {
  const sandbox = describeSandbox(dir);
  const secrets = JSON.parse(readFileSync(path.join(dir, "secrets.json"), "utf8")) as { masterKey: string };
  const client = new Client({ connectionString: sandbox.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ accessKeyId: string; secretCiphertext: string; secretKeyId: string }>(
      `select k."accessKeyId", k."secretCiphertext", k."secretKeyId" from "AccessKey" k join "AwsIdentity" i on i.id = k."identityId"
       where i."customerId" = $1 and k.status = 'ACTIVE'`,
      [customerId],
    );
    const row = rows[0]!;
    const keyring = { current: { id: "k1", key: Buffer.from(secrets.masterKey, "base64") }, previous: [] };
    return { accessKeyId: row.accessKeyId, secretAccessKey: open(row.secretCiphertext, row.secretKeyId, row.accessKeyId, keyring) };
  } finally {
    await client.end();
  }
}

async function auditEvents() {
  const client = new Client({ connectionString: describeSandbox(dir).databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ action: string }>(`select action from "AuditEvent" order by id`)).rows.map((r) => r.action);
  } finally {
    await client.end();
  }
}

async function allGone(pids: number[]) {
  const until = Date.now() + 20_000;
  while (alive(pids).length > 0 && Date.now() < until) await sleep(200);
  return alive(pids);
}

describe("the sandbox (npm run dev) with embedded services", () => {
  it("keeps customers, working keys and the audit log across a SIGKILL and a restart, leaves no process behind, and starts over with --fresh", async () => {
    const port = await freePort();
    const first = startSandbox(dir, port);
    running.push(first);
    const banner = await bannerOf(first);
    expect(banner).toContain("embedded PostgreSQL");
    expect(banner).toContain("state:         new");
    // Quiet by default: the SDK's Node version warning and per-call logs stay out of the terminal.
    expect(first.output()).not.toContain("NodeVersionSupportWarning");
    expect(first.output()).not.toContain('"msg"');

    const granted = await api("/api/v1/entitlements", {
      method: "POST",
      body: JSON.stringify({ customerEmail: "restart@example.com", productSlug: "acme-analytics", expiresAt: "2030-01-01T00:00:00Z" }),
    });
    expect(granted.status).toBe(201);
    const entitlementId = granted.body.id as string;
    const customerId = (granted.body.customer as { id: string }).id;
    await eventually(
      "the grant's provisioning",
      async () => ((await api(`/api/v1/entitlements/${entitlementId}`)).body.provisioning as { status: string }).status,
      (status) => status === "SYNCED",
      { context: first.output },
    );
    const key = await customerKey(customerId);
    expect(registryLogin(describeSandbox(dir).aws.endpoint!, key)).toBe("ok");
    const auditBefore = await auditEvents();
    expect(auditBefore).toContain("entitlement.granted");

    // A second start on the same folder says so and leaves the first alone.
    const second = startSandbox(dir, await freePort());
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain("already running");

    const tree = descendants(first.child.pid!);
    expect(tree.length).toBeGreaterThanOrEqual(4); // moto twice, PostgreSQL, the app and its server
    first.child.kill("SIGKILL");
    expect(await allGone(tree)).toEqual([]);

    const restarted = startSandbox(dir, port);
    running.push(restarted);
    const again = await bannerOf(restarted);
    expect(again).toContain("restored");
    expect(again).toContain("kept from the last run");
    const customers = await api(`/api/v1/customers?email=restart@example.com`);
    expect((customers.body.data as { id: string }[]).map((c) => c.id)).toEqual([customerId]);
    // The same key id and secret still sign in to the (replayed) emulator at its new address.
    expect(registryLogin(describeSandbox(dir).aws.endpoint!, key)).toBe("ok");
    expect((await auditEvents()).slice(0, auditBefore.length)).toEqual(auditBefore);

    const stillRunning = descendants(restarted.child.pid!);
    restarted.child.kill("SIGTERM");
    expect(await restarted.exited).toBe(0);
    expect(await allGone(stillRunning)).toEqual([]);

    // --fresh starts over: a new database and emulator, no customer of before.
    const fresh = startSandbox(dir, port, ["--fresh"]);
    running.push(fresh);
    const banner3 = await bannerOf(fresh);
    expect(banner3).toContain("started over (--fresh)");
    expect(banner3).not.toContain("restored");
    expect((await api(`/api/v1/customers?email=restart@example.com`)).body.data).toEqual([]);
    fresh.child.kill("SIGTERM");
    expect(await fresh.exited).toBe(0);
  });
});
