import { describe, expect, it } from "vitest";
import { trailDayPrefix } from "@/lib/aws/cloudtrail-logs";

const day = new Date("2026-12-04T10:00:00Z");

describe("where a trail delivers one day's logs of one region", () => {
  it("is AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/ under the trail's prefix", () => {
    expect(trailDayPrefix({ prefix: "", accountId: "111122223333", region: "eu-west-1", day })).toBe("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/12/04/");
    expect(trailDayPrefix({ prefix: "audit", accountId: "111122223333", region: "eu-west-1", day })).toBe(
      "audit/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/12/04/",
    );
  });

  it("has the organization's id before the account for an organization trail", () => {
    expect(trailDayPrefix({ prefix: "org", organizationId: "o-a1b2c3d4e5", accountId: "111122223333", region: "us-east-1", day })).toBe(
      "org/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/2026/12/04/",
    );
  });
});
