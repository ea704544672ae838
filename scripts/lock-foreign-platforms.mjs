// Run after `npm install`: records in package-lock.json the optional platform packages (DuckDB's, chdb's
// and rollup's native bindings for other systems) that this machine's registry mirror does not
// serve. npm install skips them silently when it cannot fetch their manifests, and `npm ci` then
// refuses the lock as out of sync. npm ci never fetches a package whose os/cpu/libc do not match
// the machine, so an entry with the platform fields is all it needs.
import { readFileSync, writeFileSync } from "node:fs";

const LOCK = "package-lock.json";
const lock = JSON.parse(readFileSync(LOCK, "utf8"));
const packages = lock.packages;

/** os, cpu and libc from a binding's name: `linux-arm64-musl`, `win32-x64-msvc`, `android-arm-eabi`. */
function platformOf(suffix) {
  const [os, cpu, abi] = suffix.split("-");
  const entry = { os: [os], cpu: [cpu] };
  if (os === "linux") entry.libc = [abi && abi.startsWith("musl") ? "musl" : "glibc"];
  return entry;
}

const PARENTS = {
  "@duckdb/node-bindings-": "node_modules/@duckdb/node-bindings",
  "@rollup/rollup-": "node_modules/rollup",
  "@chdb/lib-": "node_modules/chdb",
};
let added = 0;
for (const [prefix, parentKey] of Object.entries(PARENTS)) {
  const parent = packages[parentKey];
  if (!parent?.optionalDependencies) continue;
  for (const [name, version] of Object.entries(parent.optionalDependencies)) {
    const key = `node_modules/${name}`;
    if (!name.startsWith(prefix) || packages[key]) continue;
    packages[key] = { version, ...platformOf(name.slice(prefix.length)), dev: true, optional: true };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`${LOCK}: recorded ${added} optional platform packages for other systems`);
