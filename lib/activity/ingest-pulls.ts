import { listTrailLogKeys, readTrailLog, trailDayPrefix, type TrailRecord } from "@/lib/aws/cloudtrail-logs";
import { portalAccount } from "@/lib/aws/sts";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { ecrRegions } from "@/lib/products/available-repositories";
import { addDays } from "@/lib/time/days";

// Files of today and the days before: CloudTrail delivers within about 15 minutes, and a file
// delivered late still lands in the folder of its own period.
const DAYS_SCANNED = 2;
// Bounds one pass; the next minute's pass goes on where this one stopped.
const FILES_PER_PASS = 200;
const FORGET_FILES_AFTER_DAYS = 7;

type Pull = { eventId: string; at: Date; region: string; repository: string; image: string; accessKeyId: string | null; userName?: string; accountId?: string };

/** A successful BatchGetImage (the manifest fetch of every pull), with what it names. */
function pullsIn(records: TrailRecord[], vendorAccountId: string): Pull[] {
  return records.flatMap((r) => {
    if (r.eventSource !== "ecr.amazonaws.com" || r.eventName !== "BatchGetImage" || r.errorCode) return [];
    const repository = r.requestParameters?.repositoryName;
    const image = r.requestParameters?.imageIds?.map((i) => i.imageTag ?? i.imageDigest).find(Boolean);
    if (!repository || !image) return [];
    const who = r.userIdentity ?? {};
    const foreign = who.accountId && who.accountId !== vendorAccountId;
    return [
      {
        eventId: r.eventID,
        at: new Date(r.eventTime),
        region: r.awsRegion ?? "",
        repository,
        image,
        accessKeyId: who.accessKeyId ?? null,
        ...(foreign ? { accountId: who.accountId } : who.type === "IAMUser" && who.userName ? { userName: who.userName } : {}),
      },
    ];
  });
}

/** The customer each pull belongs to: its IAM user (deleted ones too), or its registered and proven account. */
async function attribute(pulls: Pull[]) {
  const userNames = [...new Set(pulls.flatMap((p) => (p.userName ? [p.userName] : [])))];
  const accountIds = [...new Set(pulls.flatMap((p) => (p.accountId ? [p.accountId] : [])))];
  const [identities, accounts] = await Promise.all([
    db.awsIdentity.findMany({ where: { userName: { in: userNames } }, select: { userName: true, customerId: true } }),
    // Only a proven account's pulls are its customer's: anyone can register another's account id.
    db.customerAccount.findMany({ where: { accountId: { in: accountIds }, liveFor: { not: null }, provenAt: { not: null } }, select: { accountId: true, customerId: true } }),
  ]);
  const byUser = new Map(identities.map((i) => [i.userName, i.customerId]));
  const byAccount = new Map(accounts.map((a) => [a.accountId, a.customerId]));
  return pulls.flatMap(({ userName, accountId, ...pull }) => {
    const customerId = userName ? byUser.get(userName) : accountId ? byAccount.get(accountId) : undefined;
    return customerId ? [{ ...pull, customerId, sourceAccountId: accountId ?? null }] : [];
  });
}

/**
 * Reads the trail's new log files and records the pulls of Pullgate's customers. Each file is
 * read once; a file read again (after a crash before it was marked) adds nothing, since events
 * are keyed by CloudTrail's event id. Without a configured bucket there is nothing to read.
 */
export async function ingestPulls(now = new Date()): Promise<{ files: number; pulls: number }> {
  const { PULLGATE_CLOUDTRAIL_BUCKET: bucket, PULLGATE_CLOUDTRAIL_PREFIX: prefix, PULLGATE_CLOUDTRAIL_ORGANIZATION_ID: organizationId } = env();
  if (!bucket) return { files: 0, pulls: 0 };
  const { accountId } = await portalAccount();
  const candidates: string[] = [];
  for (const region of ecrRegions()) {
    for (let back = DAYS_SCANNED - 1; back >= 0; back--) {
      candidates.push(...(await listTrailLogKeys(bucket, trailDayPrefix({ prefix, organizationId, accountId, region, day: addDays(now, -back) }))));
    }
  }
  const read = new Set((await db.trailLogFile.findMany({ where: { key: { in: candidates } }, select: { key: true } })).map((f) => f.key));
  const fresh = candidates.filter((k) => !read.has(k)).slice(0, FILES_PER_PASS);
  let recorded = 0;
  for (const key of fresh) {
    const pulls = await attribute(pullsIn(await readTrailLog(bucket, key), accountId));
    const created = await db.pullEvent.createMany({ data: pulls, skipDuplicates: true });
    await db.trailLogFile.upsert({ where: { key }, create: { key, pulls: created.count }, update: {} });
    recorded += created.count;
  }
  await db.trailLogFile.deleteMany({ where: { readAt: { lt: addDays(now, -FORGET_FILES_AFTER_DAYS) } } });
  return { files: fresh.length, pulls: recorded };
}

/**
 * The customer's latest pulls, newest first. Read for this customer only, and from its own
 * accounts only once proven: pulls recorded before proofs existed may be another's.
 */
export async function recentPulls(customerId: string, take = 20) {
  const proven = await db.customerAccount.findMany({ where: { liveFor: customerId, provenAt: { not: null } }, select: { accountId: true } });
  return db.pullEvent.findMany({
    where: { customerId, OR: [{ sourceAccountId: null }, { sourceAccountId: { in: proven.map((a) => a.accountId) } }] },
    orderBy: { at: "desc" },
    take,
    select: { id: true, at: true, region: true, repository: true, image: true, accessKeyId: true, sourceAccountId: true },
  });
}

export function pullHistoryEnabled() {
  return Boolean(env().PULLGATE_CLOUDTRAIL_BUCKET);
}
