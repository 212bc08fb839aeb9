import { defineConfig, env } from "prisma/config";
import { migrationAdapter } from "./prisma/migration-adapter";

// The WebAssembly schema engine (`engine: "js"`) runs migrations without native engine downloads.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter: async () => migrationAdapter(env("DATABASE_URL")),
});
