import { createRequire } from "node:module";
import { NextRequest } from "next/server";
import { RequestCookies } from "next/dist/compiled/@edge-runtime/cookies";
import { GET, POST } from "@/app/api/auth/[...nextauth]/route";

// next-auth's route handler reads the request's cookies and headers through next/headers, which
// only answer inside a Next request. Outside one (a test), the CommonJS module next-auth requires
// is pointed at the request being handled, for the length of the call.

const nextHeaders = createRequire(import.meta.url)("next/headers") as {
  cookies: () => Promise<unknown>;
  headers: () => Promise<Headers>;
};

type AuthRequest = { method?: "GET" | "POST"; body?: string; contentType?: string; headers?: Record<string, string>; query?: string };

// A lone surrogate has no percent-encoding; sent as its UTF-8-shaped bytes, as a client could.
function encodePart(part: string) {
  try {
    return encodeURIComponent(part);
  } catch {
    return "%ED%A0%80";
  }
}

/** Calls `/api/auth/<path...>` as Next would, with the request's own cookies and headers. */
export async function callAuthRoute(path: readonly string[], init: AuthRequest = {}): Promise<Response> {
  const method = init.method ?? "POST";
  const headers = new Headers(init.headers);
  if (init.contentType) headers.set("content-type", init.contentType);
  const url = `http://localhost:3000/api/auth/${path.map(encodePart).join("/")}${init.query ?? ""}`;
  const req = new NextRequest(url, { method, headers, body: method === "POST" ? (init.body ?? "") : undefined });
  const saved = { cookies: nextHeaders.cookies, headers: nextHeaders.headers };
  nextHeaders.cookies = async () => new RequestCookies(req.headers);
  nextHeaders.headers = async () => req.headers;
  try {
    return await (method === "GET" ? GET : POST)(req, { params: Promise.resolve({ nextauth: [...path] }) });
  } finally {
    Object.assign(nextHeaders, saved);
  }
}

/** A CSRF token and the cookie that carries it, as a browser has them before it signs in. */
export async function csrf(): Promise<{ token: string; cookie: string }> {
  const res = await callAuthRoute(["csrf"], { method: "GET" });
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
  return { token: csrfToken, cookie };
}
