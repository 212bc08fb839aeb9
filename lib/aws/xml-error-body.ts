import "server-only";
import type { ECRClient } from "@aws-sdk/client-ecr";

// ECR speaks JSON, but some endpoints in front of it (proxies, emulators such as moto for
// authentication failures) answer errors in the XML shape of the Query protocol. The SDK then
// fails with an opaque "Deserialization error"; this middleware reads the XML and raises the
// error AWS named instead (e.g. InvalidClientTokenId for a deleted key).

type RawResponse = { statusCode?: number; headers?: Record<string, string>; body?: unknown };

async function readBody(body: unknown): Promise<string> {
  if (!body) return "";
  if (typeof body === "string") return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

export function raiseXmlErrors(client: ECRClient) {
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as RawResponse;
      const contentType = Object.entries(response.headers ?? {}).find(([k]) => k.toLowerCase() === "content-type")?.[1] ?? "";
      if ((response.statusCode ?? 200) < 400 || contentType.includes("json")) return result;
      const text = await readBody(response.body);
      const code = tag(text, "Code");
      if (!code) {
        response.body = text;
        return result;
      }
      const error = Object.assign(new Error(tag(text, "Message") ?? code), {
        name: code,
        $fault: (response.statusCode ?? 500) >= 500 ? "server" : "client",
        $metadata: { httpStatusCode: response.statusCode, requestId: tag(text, "RequestId") },
      });
      throw error;
    },
    { step: "deserialize", priority: "low", name: "pullgateXmlErrorBody" },
  );
  return client;
}
