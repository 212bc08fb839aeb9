/** @type {import('next').NextConfig} */
const nextConfig = {
  // The AWS SDK, pg and Prisma's runtime stay as Node modules instead of being bundled.
  serverExternalPackages: ["pg", "pg-boss", "@prisma/adapter-pg", "nodemailer", "pino"],
  poweredByHeader: false,
  // forbidden() answers a signed-in user without the role with a real 403 page.
  experimental: { authInterrupts: true },
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
