import { keylessPullPolicy, BROKER_SESSION_SECONDS, SESSION_POLICY_MAX_CHARS } from "@/lib/aws/broker-role";
import type { InlinePullGrant } from "@/lib/aws/identity-pull-policy";
import { assumeBrokerSession, brokeredRegistryLogin, type BrokerSession, type RegistryCredentials, type RegistryLogin } from "@/lib/aws/registry-broker";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { keylessGrant } from "@/lib/provisioning/keyless-grant";
import type { PullTokenCaller } from "./pull-tokens";

// Docker asks the credential helper on every pull, so answers are kept per pull token, grant and
// region (one login serves every registry of a region) until shortly before they expire: most
// requests then cost two indexed reads (the token, the entitlements) and no AWS call. Each token
// gets sessions of its own, so revoking it can deny what it got and nothing of the customer's other
// tokens. The grant is part of the key, so a changed entitlement never serves an answer made for
// the old one, and access is read on every request, so a revoked customer gets nothing from the cache.

/**
 * An answer is served until this long before it expires, so whoever gets one has at least half
 * an hour: a pull never starts on a dying token, and a pull secret renewed every 15 minutes
 * never lapses (credential-helper-setup.ts).
 */
const REFRESH_MARGIN_MS = 30 * 60_000;

type CachedSession = { session: Promise<BrokerSession>; expiresAt: number; regions: Map<string, Promise<RegistryLogin>> };
const sessions = new Map<string, CachedSession>();

/**
 * Records, before the session is asked for, how long a session made for the token may live: a
 * revocation from here on denies it (broker-denies.ts) until then, the customer's as well as the
 * token's. Only while the token is live, in one statement: a revocation either comes after and
 * sees the new end, or came first and the token gets no session.
 */
async function recordBrokeredUntil({ customerId, tokenId }: PullTokenCaller, now: Date) {
  const until = new Date(now.getTime() + (BROKER_SESSION_SECONDS + 60) * 1000);
  const live = await db.$executeRaw`
    UPDATE "PullToken" SET "brokeredUntil" = GREATEST("brokeredUntil", ${until}) WHERE id = ${tokenId} AND "revokedAt" IS NULL`;
  if (live === 0) throw new AppError("UNAUTHENTICATED", "This pull token has been revoked");
  await db.customer.updateMany({ where: { id: customerId, OR: [{ brokeredUntil: null }, { brokeredUntil: { lt: until } }] }, data: { brokeredUntil: until } });
}

function cachedSession(caller: PullTokenCaller, grant: InlinePullGrant, partition: string, now: Date): CachedSession {
  const key = `${caller.tokenId} ${JSON.stringify(grant)}`;
  const cached = sessions.get(key);
  if (cached && cached.expiresAt - REFRESH_MARGIN_MS > now.getTime()) return cached;
  const policy = keylessPullPolicy(grant, { partition });
  if (JSON.stringify(policy).length > SESSION_POLICY_MAX_CHARS) {
    log().error({ customerId: caller.customerId, chars: JSON.stringify(policy).length }, "brokered session policy too large");
    throw new AppError("UNAVAILABLE", "Your entitlements name more repositories than one registry session can carry; ask the vendor to tag them by product");
  }
  const entry: CachedSession = {
    session: recordBrokeredUntil(caller, now).then(() => assumeBrokerSession(caller, policy)),
    // Until the session answers, the longest it can live: replaced by its real end below.
    expiresAt: now.getTime() + BROKER_SESSION_SECONDS * 1000,
    regions: new Map(),
  };
  // Sessions already over are of no use to anyone: dropped whenever a new one is made.
  for (const [other, cached] of sessions) if (cached.expiresAt <= now.getTime()) sessions.delete(other);
  sessions.set(key, entry);
  // A failed session is not kept: the next request asks again.
  entry.session.then(
    (session) => (entry.expiresAt = session.expiresAt.getTime()),
    () => sessions.delete(key),
  );
  return entry;
}

/** The session's one registry login of `region`, which serves every registry there. */
function loginIn(entry: CachedSession, region: string): Promise<RegistryLogin> {
  let answer = entry.regions.get(region);
  if (!answer) {
    answer = entry.session.then((session) => brokeredRegistryLogin(session, region));
    entry.regions.set(region, answer);
    answer.catch(() => entry.regions.delete(region));
  }
  return answer;
}

/**
 * Registry credentials for the token, of its customer's products: one per registry the customer
 * may pull from, or only the one `registry` names (none when it names a registry the customer has
 * nothing in).
 */
export async function registryCredentialsFor(caller: PullTokenCaller, registry?: string, now = new Date()): Promise<RegistryCredentials[]> {
  const entitled = await keylessGrant(caller.customerId, "BROKERED_TOKEN", now);
  if (!entitled) throw new AppError("FORBIDDEN", "Your organisation holds no active entitlement to a product that offers pull tokens, so this token gets no registry credentials");
  const { grant, partition, registries } = entitled;
  const wanted = registries.filter((r) => registry === undefined || r.host === registry);
  if (wanted.length === 0) return [];
  const entry = cachedSession(caller, grant, partition, now);
  return Promise.all(wanted.map(async (r): Promise<RegistryCredentials> => ({ registry: r.host, ...(await loginIn(entry, r.region)) })));
}
