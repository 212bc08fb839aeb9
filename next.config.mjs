/** @type {import('next').NextConfig} */
const nextConfig = {
  // The AWS SDK, pg and Prisma's runtime stay as Node modules instead of being bundled.
  serverExternalPackages: ["pg", "pg-boss", "@prisma/adapter-pg", "nodemailer", "pino"],
  poweredByHeader: false,
  experimental: {
    // forbidden() answers a signed-in user without the role with a real 403 page.
    authInterrupts: true,
    // Next has one body limit for every server action, counted as the bytes arrive (chunked or
    // not), and the bulk form's CSV upload (MAX_CSV_BYTES, 10 MB) is one, so it allows that plus
    // room for the form's other fields and the multipart framing. It stays below
    // proxyClientMaxBodySize (10 MiB), past which Next cuts short the bodies proxy.ts sees.
    serverActions: { bodySizeLimit: 10_200_000 },
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
