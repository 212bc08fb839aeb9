// The trail's bucket may live in another region than the portal. S3 redirects a request signed
// for the wrong region (the emulator has no regions: the AWS oracle places the bucket and answers
// as S3 does), and the portal's S3 client must sign it again for the bucket's region.
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import { ingestPulls, recentPulls } from "@/lib/activity/ingest-pulls";
import { EMULATOR_CLOUDTRAIL_BUCKET } from "@/lib/aws/emulator-bootstrap";
import { trailDayPrefix } from "@/lib/aws/cloudtrail-logs";
import { db } from "@/lib/db";
import { awsAdmin } from "../support/aws-admin";
import { closePools } from "../support/close-pools";
import { readOracleReport, setOracleBucketRegions } from "../support/aws-oracle/oracle-proxy";

const BUCKET_REGION = "eu-west-1";
const PREFIX = "other-region";
// Read by the product's configuration on first use, which comes after this. A prefix of its own
// keeps other files' log files (one under a key the portal may not decrypt) out of these passes.
process.env.PULLGATE_CLOUDTRAIL_PREFIX = PREFIX;

const ctx = inject("integration");
const aws = awsAdmin(ctx);
// CloudTrail delivers into the bucket in the bucket's own region.
const trail = awsAdmin({ ...ctx, region: BUCKET_REGION });

// Other files share the oracle: the bucket goes back to the emulator's one region.
afterEach(() => setOracleBucketRegions(ctx.awsEndpoint));

afterAll(async () => {
  delete process.env.PULLGATE_CLOUDTRAIL_PREFIX;
  aws.destroy();
  trail.destroy();
  await closePools();
});

describe("a trail bucket in another region than the portal", () => {
  it("is read after S3 redirects the portal's requests to the bucket's region", async () => {
    expect(BUCKET_REGION).not.toBe(ctx.region);
    const { entitlement, repo } = await aws.grantOnNewProduct("pulls-region");
    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: entitlement.customerId } });
    const key = await db.accessKey.findFirstOrThrow({ where: { identityId: identity.id, status: "ACTIVE" } });
    await setOracleBucketRegions(ctx.awsEndpoint, { [EMULATOR_CLOUDTRAIL_BUCKET]: BUCKET_REGION });
    const before = (await readOracleReport(ctx.awsEndpoint)).redirected.length;

    const now = new Date();
    const record = {
      eventID: `region-${now.getTime()}-${process.pid}`,
      eventTime: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
      eventSource: "ecr.amazonaws.com",
      eventName: "BatchGetImage",
      awsRegion: ctx.region,
      userIdentity: { type: "IAMUser", userName: identity.userName, accountId: ctx.accountId, accessKeyId: key.accessKeyId },
      requestParameters: { registryId: ctx.accountId, repositoryName: repo.name, imageIds: [{ imageTag: "6.0.0" }] },
    };
    const prefix = trailDayPrefix({ prefix: PREFIX, accountId: ctx.accountId, region: ctx.region, day: now });
    await trail.putTrailLog(EMULATOR_CLOUDTRAIL_BUCKET, `${prefix}${ctx.accountId}_CloudTrail_${ctx.region}_${now.getTime()}_region.json.gz`, [record]);

    expect(await ingestPulls()).toMatchObject({ files: 1, pulls: 1 });
    const pulls = await recentPulls(entitlement.customerId);
    expect(pulls.map((p) => [p.repository, p.image, p.accessKeyId, p.sourceAccountId])).toEqual([[repo.name, "6.0.0", key.accessKeyId, null]]);
    expect(await ingestPulls()).toMatchObject({ files: 0, pulls: 0 });

    // Each listing and read was first signed for the portal's region and redirected; the delivery,
    // signed for the bucket's region, was not.
    const redirected = (await readOracleReport(ctx.awsEndpoint)).redirected.slice(before);
    expect(new Set(redirected.map((r) => r.action))).toEqual(new Set(["s3:ListBucket", "s3:GetObject"]));
    for (const r of redirected) expect(r).toEqual({ action: r.action, bucket: EMULATOR_CLOUDTRAIL_BUCKET, signedFor: ctx.region, bucketRegion: BUCKET_REGION });
  });
});
