/** @type {import('next').NextConfig} */
const nextConfig = {
  // The AWS SDK, pg and Prisma's runtime stay as Node modules instead of being bundled.
  serverExternalPackages: ["pg", "pg-boss", "@prisma/adapter-pg", "nodemailer", "pino"],
  poweredByHeader: false,
  experimental: {
    // forbidden() answers a signed-in user without the role with a real 403 page.
    authInterrupts: true,
    // proxy.ts answers a server action's body past 1 MB with a 413 (Next's own limit answers a
    // 500); this is the same limit, behind it. The bulk form's CSV goes to a route of its own.
    serverActions: { bodySizeLimit: 1_000_000 },
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
