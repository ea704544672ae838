/**
 * vitest globalSetup: one PostgreSQL 18 server for the whole run (test/support/pg-server.ts),
 * its port given to the test files through `provide`/`inject`, stopped at the end.
 */
import type { TestProject } from "vitest/node";
import { startPgServer } from "./pg-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    pgServer: { port: number; password: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPgServer();
  project.provide("pgServer", { port: server.port, password: server.password });
  return () => server.stop();
}
