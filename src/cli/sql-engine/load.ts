/**
 * The database packages `--engine` needs, @duckdb/node-api and chdb: large native modules, optional
 * peer dependencies of cible, loaded only when asked for. A missing one is a CliError (exit 2)
 * naming the `npm install` that brings it.
 */
import { CliError, EXIT } from "../io.js";

/** The packages an engine loads, by engine name. */
export const ENGINE_PACKAGES = { duckdb: "@duckdb/node-api", clickhouse: "chdb" } as const;

export type EngineName = keyof typeof ENGINE_PACKAGES;

/** Imports a module by name; tests replace it to hide a package. */
export type ModuleLoader = (specifier: string) => Promise<unknown>;

const importModule: ModuleLoader = (specifier) => import(specifier);

let loader: ModuleLoader = importModule;

/**
 * Replaces the module loader (tests: a loader that throws `ERR_MODULE_NOT_FOUND` for one
 * package); `undefined` restores `import()`.
 *
 * @example
 * ```ts
 * setModuleLoader(async (s) => { throw Object.assign(new Error(`Cannot find package '${s}'`), { code: "ERR_MODULE_NOT_FOUND" }); });
 * ```
 */
export function setModuleLoader(next: ModuleLoader | undefined): void {
  loader = next ?? importModule;
}

/** True for the errors Node gives for a package that is not installed (ESM or CommonJS). */
function isMissing(e: unknown, specifier: string): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String((e as Error).message).includes(specifier);
}

/**
 * Loads the package of `--engine <engine>` (`what` names who needs it in the message); a missing one is exit 2 with the install hint, a
 * package that is there but fails to load (a native module built for another platform) says so.
 *
 * @example
 * ```ts
 * const duckdb = await loadEnginePackage<typeof import("@duckdb/node-api")>("duckdb");
 * ```
 */
export async function loadEnginePackage<T>(engine: EngineName, what = `--engine ${engine}`): Promise<T> {
  const specifier = ENGINE_PACKAGES[engine];
  try {
    return (await loader(specifier)) as T;
  } catch (e) {
    if (isMissing(e, specifier)) {
      throw new CliError(`${what} needs the package ${specifier}, which is not installed`, EXIT.failure, `install it next to cible: npm install ${specifier}`);
    }
    throw new CliError(`${what} cannot load the package ${specifier}: ${(e as Error).message}`, EXIT.failure, `reinstall it for this platform: npm install ${specifier}`);
  }
}
