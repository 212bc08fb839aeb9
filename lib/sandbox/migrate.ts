import { spawn } from "node:child_process";
import path from "node:path";

/** Applies the committed migrations with the offline Prisma CLI (`prisma migrate deploy`). */
export function migrateDatabase(databaseUrl: string, cwd = process.cwd()): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(cwd, "scripts/prisma-cli.mjs"), "migrate", "deploy"], {
      cwd,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c));
    child.stderr.on("data", (c: Buffer) => (output += c));
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`prisma migrate deploy failed (${code}):\n${output.slice(-3000)}`)),
    );
  });
}
