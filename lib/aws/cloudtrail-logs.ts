// Reading the log files a CloudTrail trail delivers to S3 (gzipped JSON, one object per region
// and period), in the standard layout <prefix>/AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/,
// or an organization trail's <prefix>/AWSLogs/<organization id>/<account>/CloudTrail/....
import "server-only";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { call } from "./aws-error";
import { s3Client } from "./clients";

const unzip = promisify(gunzip);

/** The fields of a CloudTrail record that tell who pulled what. */
export type TrailRecord = {
  eventID: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion?: string;
  errorCode?: string;
  userIdentity?: { type?: string; userName?: string; accountId?: string; accessKeyId?: string };
  requestParameters?: { repositoryName?: string; imageIds?: { imageTag?: string; imageDigest?: string }[] } | null;
};

/** The key prefix of one day's logs of one region. */
export function trailDayPrefix({ prefix, organizationId, accountId, region, day }: { prefix: string; organizationId?: string; accountId: string; region: string; day: Date }) {
  const date = day.toISOString().slice(0, 10).replaceAll("-", "/");
  const owner = organizationId ? `${organizationId}/${accountId}` : accountId;
  return `${prefix ? `${prefix}/` : ""}AWSLogs/${owner}/CloudTrail/${region}/${date}/`;
}

export async function listTrailLogKeys(bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for (let token: string | undefined; ; ) {
    const page = await call("s3:ListObjectsV2", () => s3Client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })));
    for (const o of page.Contents ?? []) if (o.Key?.endsWith(".json.gz")) keys.push(o.Key);
    token = page.NextContinuationToken;
    if (!token) return keys;
  }
}

export async function readTrailLog(bucket: string, key: string): Promise<TrailRecord[]> {
  const object = await call("s3:GetObject", () => s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key })));
  const body = Buffer.from(await object.Body!.transformToByteArray());
  const parsed = JSON.parse((await unzip(body)).toString("utf8")) as { Records?: TrailRecord[] };
  return parsed.Records ?? [];
}
