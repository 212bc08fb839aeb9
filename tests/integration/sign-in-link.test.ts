import { afterAll, describe, expect, it, vi } from "vitest";
import { requestSignInLink } from "@/lib/auth/request-sign-in-link";
import { signInWithLink } from "@/lib/auth/sign-in";
import { SIGN_IN_RATE_LIMIT } from "@/lib/auth/sign-in-rate-limit";
import { signOutEverywhere } from "@/lib/auth/sign-out-everywhere";
import { newSecretToken } from "@/lib/auth/tokens";
import { db } from "@/lib/db";
import { jobEngine } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";
import { HANDLERS } from "@/lib/worker/handlers";
import { closePools } from "../support/close-pools";
import { inbox } from "../support/inbox";
import { awayFromSignInWindowEnd } from "../support/rate-window";
import { unique } from "../support/seed";

// Counts every use of the user table through the product's client, to prove the request path
// never looks the address up.
const userTable = vi.hoisted(() => ({ uses: 0 }));
vi.mock("@/lib/db", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/db")>();
  const db = new Proxy(real.db, {
    get(target, prop, receiver) {
      if (prop === "user") userTable.uses++;
      return Reflect.get(target, prop, receiver);
    },
  });
  return { ...real, db };
});

afterAll(closePools);

let clients = 0;
const client = () => ({ ip: `198.18.${process.pid % 256}.${++clients}`, userAgent: "LinkTest/1.0" });

async function customerUser() {
  const email = `${unique("member")}@customer.example`;
  return db.user.create({ data: { email, role: "VENDOR_VIEWER" } });
}

async function queuedLinks(emails: string[]) {
  const { rows } = await (await jobEngine())
    .getDb()
    .executeSql(`SELECT data FROM pgboss.job WHERE name = $1 AND data->>'email' = ANY($2) ORDER BY created_on`, [QUEUES.signInLink, emails]);
  return rows.map((row: { data: unknown }) => row.data);
}

async function loginToken(userId: string) {
  const { token, hash } = newSecretToken();
  await db.loginToken.create({ data: { userId, tokenHash: hash, expiresAt: new Date(Date.now() + 15 * 60_000) } });
  return token;
}

describe("sign-in link requests", () => {
  it("answer a known and an unknown address alike: a queued job with the address, no user lookup", async () => {
    const known = (await customerUser()).email;
    const unknown = `nobody-${known}`;
    const from = client();

    userTable.uses = 0;
    await requestSignInLink(`  ${known.toUpperCase()} `, from);
    await requestSignInLink(unknown, from);
    expect(userTable.uses).toBe(0);

    const jobs = await queuedLinks([known, unknown]);
    expect(jobs).toEqual([{ email: known }, { email: unknown }]);

    // The worker's half looks the address up and mails a known one only.
    for (const job of jobs) await HANDLERS.signInLink(job as Record<string, string>);
    expect((await inbox(known)).map((m) => m.subject)).toContain("Your sign-in link");
    expect(await inbox(unknown)).toEqual([]);
  });

  it("are limited per address before anything is queued", async () => {
    await awayFromSignInWindowEnd();
    const email = `nobody-${unique("flood")}@customer.example`;
    for (let i = 0; i <= SIGN_IN_RATE_LIMIT.perAddress; i++) await requestSignInLink(email, client());
    expect(await queuedLinks([email])).toHaveLength(SIGN_IN_RATE_LIMIT.perAddress);
  });
});

describe("sign-in links", () => {
  it("are void once the user signs out everywhere", async () => {
    const user = await customerUser();
    const sent = await loginToken(user.id);
    await signOutEverywhere({ actor: { type: "USER", id: user.id, label: user.email }, userId: user.id });
    expect(await signInWithLink(sent, client())).toBeNull();

    const later = await loginToken(user.id);
    expect(await signInWithLink(later, client())).toMatchObject({ id: user.id });
  });

  it("audit each sign-in and each refused link with the client's address and browser", async () => {
    const user = await customerUser();
    const from = client();
    const token = await loginToken(user.id);
    await signInWithLink(token, from);
    await signInWithLink(token, from);

    const signedIn = await db.auditEvent.findMany({ where: { action: "user.signed_in", actorId: user.id } });
    expect(signedIn.map((e) => e.data)).toEqual([{ method: "link", userId: user.id, email: user.email, ip: from.ip, userAgent: from.userAgent }]);
    const refused = await db.auditEvent.findMany({
      where: { action: "user.sign_in_failed", AND: [{ data: { path: ["ip"], equals: from.ip } }, { data: { path: ["method"], equals: "link" } }] },
    });
    expect(refused.map((e) => e.data)).toEqual([{ method: "link", reason: "invalid-link", ip: from.ip, userAgent: from.userAgent }]);
  });
});
