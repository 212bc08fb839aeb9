import http from "node:http";

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length"]);

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export type Upstream = { status: number; headers: http.OutgoingHttpHeaders; body: Buffer };

export function forward(target: URL, req: http.IncomingMessage, body: Buffer, agent: http.Agent): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    // Headers go through unchanged: the SigV4 signature covers Host, which must stay the proxy's.
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
      (res) => {
        readBody(res).then((data) => {
          const headers: http.OutgoingHttpHeaders = {};
          for (const [k, v] of Object.entries(res.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
          headers["content-length"] = data.length;
          resolve({ status: res.statusCode ?? 502, headers, body: data });
        }, reject);
      },
    );
    upstream.on("error", reject);
    upstream.end(body);
  });
}

