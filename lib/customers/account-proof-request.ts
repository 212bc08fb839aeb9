import { AppError } from "@/lib/errors";

// A customer proves control of an AWS account the way Vault's AWS auth does: it signs an STS
// GetCallerIdentity request with the account's credentials, with Pullgate's one-time nonce in a
// signed header, and hands the signed request over without sending it. Pullgate sends it to its
// own STS endpoint only; STS checks the signature and names the account.

/** The header carrying the nonce; it must be among the SignedHeaders, or the nonce proves nothing. */
export const PROOF_NONCE_HEADER = "x-pullgate-proof-nonce";
/** The only request a proof may be: GetCallerIdentity needs no permission and changes nothing. */
export const PROOF_BODY = "Action=GetCallerIdentity&Version=2011-06-15";
/** A pasted proof is a few headers and a short body; anything larger is not one. */
export const MAX_PROOF_CHARS = 8_192;
// AWS refuses a signature older than 15 minutes; a proof dated further ahead than this was not
// signed now.
const MAX_AGE_MS = 15 * 60_000;
const MAX_SKEW_MS = 5 * 60_000;
const MAX_HEADERS = 16;
// Only these (and x-amz-*) may be forwarded; the Authorization header is checked and sent apart.
const FORWARDED = new Set(["host", "content-type", PROOF_NONCE_HEADER]);

/** Where proofs are sent and what they must be signed for: STS's host and the signing region. */
export type ProofTarget = { host: string; region: string };

/** A proof that passed every check Pullgate can make before STS sees it. */
export type ParsedProof = {
  nonce: string;
  /** The headers to send, lower-cased, Authorization included; Host is the target's. */
  headers: Record<string, string>;
  body: string;
  accessKeyId: string;
};

const refuse = (message: string): never => {
  throw new AppError("INVALID_INPUT", message, [{ path: "proof", message }]);
};

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]{16,128})\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

function amzDate(value: string | undefined) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? "");
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : null;
}

/** The pasted document's parts, or a refusal saying what is wrong with it. */
function readDocument(text: string) {
  if (text.length > MAX_PROOF_CHARS) refuse("That is not a proof: it is too long. Paste the output of the script as it is");
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    refuse("That is not a proof: paste the JSON the script prints, as it is");
  }
  const { method, url, headers, body } = (document ?? {}) as Record<string, unknown>;
  if (typeof method !== "string" || typeof url !== "string" || typeof body !== "string" || !headers || typeof headers !== "object" || Array.isArray(headers)) {
    return refuse("That is not a proof: it needs method, url, headers and body, as the script prints them");
  }
  const entries = Object.entries(headers as Record<string, unknown>);
  if (entries.length > MAX_HEADERS || entries.some(([, v]) => typeof v !== "string")) refuse("That is not a proof: its headers are not the script's");
  const lowered: Record<string, string> = {};
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    if (key in lowered) refuse(`That is not a proof: the header ${key} is given twice`);
    lowered[key] = (value as string).trim();
  }
  return { method, url, headers: lowered, body };
}

/**
 * Checks a pasted proof against everything Pullgate can see: a POST of exactly GetCallerIdentity,
 * aimed at `target` (never anywhere the document says), signed with SigV4 for STS in the
 * target's region, over Host and the nonce header, dated now. Whether the signature is right and
 * whose it is only STS can say.
 */
export function parseAccountProof(text: string, target: ProofTarget, now = new Date()): ParsedProof {
  const doc = readDocument(text.trim());
  if (doc.method.toUpperCase() !== "POST") refuse("The proof must be a POST request, as the script makes it");
  let url: URL | null = null;
  try {
    url = new URL(doc.url);
  } catch {
    refuse("The proof's url is not a URL");
  }
  if (url!.host !== target.host || doc.headers.host !== target.host) {
    refuse(`The proof is signed for another host: sign it for ${target.host}, as the script does by default`);
  }
  if (url!.pathname !== "/" || url!.search !== "") refuse("The proof must be a request to STS's root path, as the script makes it");
  if (doc.body !== PROOF_BODY) refuse(`The proof must be exactly GetCallerIdentity: its body must be ${PROOF_BODY}`);

  const auth = AUTHORIZATION.exec(doc.headers.authorization ?? "");
  if (!auth) return refuse("The proof is not signed with AWS Signature Version 4 in its Authorization header");
  const [, accessKeyId, day, region, service, signedList] = auth;
  if (service !== "sts") refuse("The proof must be signed for STS");
  if (region !== target.region) refuse(`The proof must be signed for the region ${target.region}, as the script does by default`);
  const signed = signedList!.split(";");
  for (const required of ["host", "x-amz-date", PROOF_NONCE_HEADER]) {
    if (!signed.includes(required)) refuse(`The proof must sign the ${required} header; produce it with the script`);
  }
  if (signed.some((name) => !(name in doc.headers))) refuse("The proof signs a header it does not carry");

  const date = amzDate(doc.headers["x-amz-date"]);
  if (!date || doc.headers["x-amz-date"]!.slice(0, 8) !== day) refuse("The proof's X-Amz-Date is missing or does not match its signature");
  const age = now.getTime() - date!.getTime();
  if (age > MAX_AGE_MS || age < -MAX_SKEW_MS) refuse("The proof was not signed in the last 15 minutes: run the script again");

  const nonce = doc.headers[PROOF_NONCE_HEADER]!;
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(nonce)) refuse("The proof's nonce is not one Pullgate issued");

  // Only the headers the signature needs and the request's content type go to STS.
  const headers: Record<string, string> = { authorization: doc.headers.authorization! };
  for (const [name, value] of Object.entries(doc.headers)) {
    if (signed.includes(name) || FORWARDED.has(name) || name.startsWith("x-amz-")) headers[name] = value;
  }
  headers.host = target.host;
  headers["content-type"] ??= "application/x-www-form-urlencoded; charset=utf-8";
  return { nonce, headers, body: doc.body, accessKeyId: accessKeyId! };
}
