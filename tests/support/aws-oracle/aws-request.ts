import type http from "node:http";

/** One AWS API request as the oracle sees it on the wire, before anything acts on it. */
export type AwsRequest = {
  service: string;
  /** "iam:CreateUser", "ecr:SetRepositoryPolicy", "s3:GetObject", ... */
  action: string;
  region: string;
  /** The signing key; null for an unsigned request. */
  accessKeyId: string | null;
  /** awsQuery form fields (IAM, STS) or the awsJson body (ECR). */
  params: Record<string, unknown>;
  /** S3 requests are REST: the bucket and key come from the path. */
  s3?: { bucket: string; key?: string };
};

const SIGV4_SCOPE = /Credential=([^/]+)\/[^/]+\/([^/]+)\/([^/]+)\//;

/** The SigV4 scope of a header-signed request, or of a presigned URL's X-Amz-Credential. */
function scope(req: http.IncomingMessage, url: URL) {
  const header = SIGV4_SCOPE.exec(String(req.headers.authorization ?? ""));
  if (header) return { accessKeyId: header[1]!, region: header[2]!, service: header[3]! };
  const credential = url.searchParams.get("X-Amz-Credential")?.split("/");
  if (credential && credential.length >= 4) return { accessKeyId: credential[0]!, region: credential[2]!, service: credential[3]! };
  return null;
}

function s3Action(method: string, url: URL, key: string | undefined) {
  if (!key) {
    if (method === "GET" && (url.searchParams.has("list-type") || [...url.searchParams.keys()].every((k) => ["prefix", "delimiter", "marker", "max-keys", "encoding-type"].includes(k)))) {
      return "ListBucket";
    }
    if (method === "PUT" && url.search === "") return "CreateBucket";
    if (method === "HEAD") return "ListBucket";
    return null;
  }
  if (method === "GET" || method === "HEAD") return "GetObject";
  if (method === "PUT") return "PutObject";
  if (method === "DELETE") return "DeleteObject";
  return null;
}

/**
 * Reads service, action and parameters from the three protocols the portal speaks: awsQuery (IAM,
 * STS: form fields), awsJson 1.1 (ECR: X-Amz-Target and a JSON body) and S3's REST.
 * `action` is null when the oracle cannot tell what is asked (it then refuses to judge).
 */
export function readAwsRequest(req: http.IncomingMessage, body: Buffer): (Omit<AwsRequest, "action"> & { action: string | null }) | null {
  const url = new URL(req.url ?? "/", "http://aws");
  const signed = scope(req, url);
  if (!signed) return null;
  const { accessKeyId, region, service } = signed;
  if (service === "s3") {
    const [bucket = "", ...rest] = url.pathname.replace(/^\//, "").split("/");
    const key = rest.join("/") ? decodeURIComponent(rest.join("/")) : undefined;
    const action = s3Action(req.method ?? "GET", url, key);
    return { service, action: action && `s3:${action}`, region, accessKeyId, params: {}, s3: { bucket: decodeURIComponent(bucket), key } };
  }
  const target = req.headers["x-amz-target"];
  if (typeof target === "string") {
    let params: Record<string, unknown> = {};
    try {
      params = JSON.parse(body.toString("utf8") || "{}") as Record<string, unknown>;
    } catch {
      params = {};
    }
    return { service, action: `${service}:${target.split(".").pop()}`, region, accessKeyId, params };
  }
  const form = new URLSearchParams(req.method === "GET" ? url.search : body.toString("utf8"));
  const params = Object.fromEntries(form.entries());
  const name = form.get("Action");
  return { service, action: name ? `${service}:${name}` : null, region, accessKeyId, params };
}

// STS actions AWS takes unsigned: the caller proves who it is with a token in the request.
const UNSIGNED_STS_ACTIONS = new Set(["AssumeRoleWithWebIdentity"]);

/** An unsigned STS request (awsQuery form fields), or null for anything else. */
export function readUnsignedStsRequest(req: http.IncomingMessage, body: Buffer): AwsRequest | null {
  if (req.headers.authorization || req.method !== "POST") return null;
  const params = Object.fromEntries(new URLSearchParams(body.toString("utf8")).entries());
  if (!params.Action || !UNSIGNED_STS_ACTIONS.has(params.Action)) return null;
  // Nothing signed names a region; STS's global endpoint is us-east-1's.
  return { service: "sts", action: `sts:${params.Action}`, region: "us-east-1", accessKeyId: null, params };
}

/** Tags of an awsQuery request (`Tags.member.N.Key/Value`) or an awsJson one (`tags: [{Key, Value}]`). */
export function requestTags(params: Record<string, unknown>): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    const match = /^Tags\.member\.(\d+)\.Key$/.exec(name);
    if (match && typeof value === "string") tags[value] = String(params[`Tags.member.${match[1]}.Value`] ?? "");
  }
  const json = params.tags ?? params.Tags;
  if (Array.isArray(json)) {
    for (const t of json as { Key?: unknown; Value?: unknown }[]) if (typeof t.Key === "string") tags[t.Key] = String(t.Value ?? "");
  }
  return tags;
}

/**
 * The numbered members of an awsQuery list (`Name.member.1`, `Name.member.2`, ...), or the field
 * `field` of each (`PolicyArns.member.1.arn`).
 */
export function members(params: Record<string, unknown>, name: string, field?: string): string[] {
  const values: string[] = [];
  const at = (i: number) => params[field ? `${name}.member.${i}.${field}` : `${name}.member.${i}`];
  for (let i = 1; typeof at(i) === "string"; i++) values.push(String(at(i)));
  return values;
}
