// The security headers proxy.ts puts on every page: a per-request nonce Content-Security-Policy,
// and HSTS where the portal is served over HTTPS. README.md ("Security headers") explains each choice.

export type ContentSecurityPolicyOptions = {
  nonce: string;
  /** `next dev`: React rebuilds server error stacks with eval, and Next injects styles for hot reload. */
  development: boolean;
  /** Served over HTTPS: asks browsers to upgrade any stray http:// subresource. */
  https: boolean;
};

/** Two years, the preload list's minimum; subdomains too. */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/** 128 random bits, base64: unguessable and fresh for every response. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

export function contentSecurityPolicy({ nonce, development, https }: ContentSecurityPolicyOptions): string {
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    // Only scripts carrying this response's nonce, and what they load ('strict-dynamic'): Next puts
    // the nonce on its own scripts. 'self' is ignored where 'strict-dynamic' is understood.
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    // Stylesheets from the portal itself and nonced <style>; no style attributes (the pages use
    // none). With a nonce present browsers ignore 'unsafe-inline', so development drops the nonce.
    ["style-src", "'self'", development ? "'unsafe-inline'" : `'nonce-${nonce}'`],
    ["img-src", "'self'", "data:"],
    ["font-src", "'self'"],
    ["connect-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'none'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
    ...(https ? [["upgrade-insecure-requests"] as [string]] : []),
  ];
  return directives.map((directive) => directive.join(" ")).join("; ");
}
