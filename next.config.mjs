/** @type {import('next').NextConfig} */
const nextConfig = {
  // The AWS SDK, pg and Prisma's runtime stay as Node modules instead of being bundled.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "nodemailer"],
  poweredByHeader: false,
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
