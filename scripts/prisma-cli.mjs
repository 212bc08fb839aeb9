// Runs the Prisma CLI offline: the WebAssembly schema engine (prisma.config.ts) needs no
// engine download, but the CLI only learns that after reading the schema, whose datasource
// requires DATABASE_URL. Commands that touch no database (generate) get a placeholder.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
env.DATABASE_URL ||= "postgresql://placeholder@127.0.0.1:5432/placeholder";
const result = spawnSync(
  process.execPath,
  ["-r", new URL("../prisma/cli-exit-fix.cjs", import.meta.url).pathname, cli, ...process.argv.slice(2)],
  { stdio: "inherit", env },
);
process.exit(result.status ?? 1);
