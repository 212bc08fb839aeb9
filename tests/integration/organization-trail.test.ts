// An organization trail delivers every member account's logs under AWSLogs/<organization id>/<account>/.
import { afterAll, describe, expect, inject, it } from "vitest";
import { ingestPulls, recentPulls } from "@/lib/activity/ingest-pulls";
import { trailStatus } from "@/lib/activity/trail-status";
import { EMULATOR_CLOUDTRAIL_BUCKET } from "@/lib/aws/emulator-bootstrap";
import { trailDayPrefix } from "@/lib/aws/cloudtrail-logs";
import { db } from "@/lib/db";
import { awsAdmin } from "../support/aws-admin";
import { closePools } from "../support/close-pools";

const ORGANIZATION = "o-a1b2c3d4e5";
// Read by the product's configuration on first use, which comes after this.
process.env.PULLGATE_CLOUDTRAIL_ORGANIZATION_ID = ORGANIZATION;

const ctx = inject("integration");
const aws = awsAdmin(ctx);

afterAll(async () => {
  delete process.env.PULLGATE_CLOUDTRAIL_ORGANIZATION_ID;
  aws.destroy();
  await closePools();
});

describe("an organization trail", () => {
  it("is read under the organization's prefix, and the Engine page says when no file came for a day", async () => {
    const { entitlement, repo } = await aws.grantOnNewProduct("org-trail");
    const identity = await db.awsIdentity.findUniqueOrThrow({ where: { liveFor: entitlement.customerId } });
    const now = new Date();
    const prefix = trailDayPrefix({ prefix: "", organizationId: ORGANIZATION, accountId: ctx.accountId, region: ctx.region, day: now });
    expect(prefix.startsWith(`AWSLogs/${ORGANIZATION}/${ctx.accountId}/CloudTrail/`)).toBe(true);
    const record = {
      eventID: `org-${now.getTime()}`,
      eventTime: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
      eventSource: "ecr.amazonaws.com",
      eventName: "BatchGetImage",
      awsRegion: ctx.region,
      userIdentity: { type: "IAMUser", userName: identity.userName, accountId: ctx.accountId },
      requestParameters: { repositoryName: repo.name, imageIds: [{ imageTag: "5.0.0" }] },
    };
    await aws.putTrailLog(EMULATOR_CLOUDTRAIL_BUCKET, `${prefix}${ctx.accountId}_CloudTrail_${ctx.region}_${now.getTime()}_org.json.gz`, [record]);

    await ingestPulls();
    expect((await recentPulls(entitlement.customerId)).map((p) => p.image)).toEqual(["5.0.0"]);
    expect(await trailStatus()).toMatchObject({ configured: true, quiet: false });
    expect(await trailStatus(new Date(Date.now() + 25 * 3_600_000))).toMatchObject({ configured: true, quiet: true });
  });
});
