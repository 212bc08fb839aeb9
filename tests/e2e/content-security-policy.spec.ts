// Every page, as the role that uses it, under the portal's nonce Content-Security-Policy: a page
// whose script, style or request the policy blocks fails here (README.md, "Security headers").
import { expect, test, type Page } from "./judged-test";
import { adminPageUrls } from "./admin-routes";
import { seededRows, storageState, type Role } from "./roles";

type Visit = { url: string; status?: number };

function pagesOf(role: Role | "anonymous"): () => Visit[] {
  switch (role) {
    case "admin":
      return () => {
        const { customerId, entitlementId } = seededRows();
        return [
          ...adminPageUrls(),
          "/admin/entitlements?status=failed&sort=customer",
          `/admin/access-check?customer=${customerId}`,
          `/admin/audit?customer=${customerId}`,
          `/admin/bulk?ids=${entitlementId}`,
        ]
          .map((url): Visit => ({ url }))
          .concat({ url: "/admin/no-such-page", status: 404 });
      };
    case "viewer":
      return () => adminPageUrls().map((url) => ({ url }));
    case "customer":
      return () => [{ url: "/portal" }, { url: "/portal/accounts" }, { url: "/portal/team" }, { url: "/admin", status: 403 }];
    case "anonymous":
      return () => [{ url: "/" }, { url: "/login" }, { url: "/login/link?token=expired" }, { url: "/no-such-page", status: 404 }];
  }
}

/** Every violation the page reports, as a `securitypolicyviolation` event or on the console. */
async function watchViolations(page: Page) {
  const found: string[] = [];
  const at = { url: "" };
  await page.exposeFunction("__reportCspViolation", (text: string) => found.push(`${at.url}: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __reportCspViolation: (text: string) => void }).__reportCspViolation;
      void report(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`);
    });
  });
  page.on("console", (message) => {
    if (/content security policy/i.test(message.text())) found.push(`${at.url}: console: ${message.text()}`);
  });
  return { found, at };
}

const nonceOf = (policy: string | undefined) => /script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(policy ?? "")?.[1];

for (const role of ["admin", "viewer", "customer", "anonymous"] as const) {
  test.describe(`as ${role}`, () => {
    if (role !== "anonymous") test.use({ storageState: storageState(role) });

    test("no page reports a Content-Security-Policy violation", async ({ page }) => {
      const { found, at } = await watchViolations(page);
      for (const { url, status } of pagesOf(role)()) {
        at.url = url;
        const response = await page.goto(url);
        if (status) expect(response?.status(), url).toBe(status);
        else expect(response?.status(), url).toBeLessThan(400);
        expect(nonceOf(response?.headers()["content-security-policy"]), `${url} is served with a nonce`).toBeTruthy();
        await page.waitForLoadState("networkidle");
      }
      expect(found).toEqual([]);
    });
  });
}

test.describe("the security headers", () => {
  test("carry a fresh nonce on every response, and Next puts it on every script", async ({ request }) => {
    const first = await request.get("/login");
    const second = await request.get("/login");
    const policy = first.headers()["content-security-policy"];
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("base-uri 'none'");
    expect(policy).toContain("form-action 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'(;|$)/);
    expect(policy).not.toContain("unsafe");
    const nonce = nonceOf(policy);
    expect(nonce).toBeTruthy();
    expect(nonceOf(second.headers()["content-security-policy"])).not.toBe(nonce);

    const scripts = (await first.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
  });

  test("send a referrer policy, and no HSTS to the sandbox on plain http", async ({ request }) => {
    const res = await request.get("/login");
    expect(res.headers()["referrer-policy"]).toBe("same-origin");
    expect(res.headers()["x-frame-options"]).toBe("DENY");
    expect(res.headers()["strict-transport-security"]).toBeUndefined();
  });

  test("/api/health answers a stranger with liveness alone", async ({ request }) => {
    const res = await request.get("/api/health");
    expect(res.status()).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  test.describe("signed in as the vendor admin", () => {
    test.use({ storageState: storageState("admin") });
    test("/api/health shows the checks' details", async ({ page }) => {
      const res = await page.request.get("/api/health");
      expect(await res.json()).toMatchObject({ status: "ok", database: { ok: true }, aws: { ok: true } });
    });
  });
});
