/**
 * The playground (docs/playground/): `build` bundles it with esbuild into docs/playground/dist/
 * (a static page: index.html, playground.js, playground.css), `serve` builds it and serves that
 * folder on localhost, printing the URL.
 *
 * The page embeds the demo's rules file and a sample of the demo base, generated here by
 * examples/generate.ts with its seed: the same 5,000 contacts on every build.
 *
 *   npx tsx scripts/playground.ts build [--count N]
 *   npx tsx scripts/playground.ts serve [--port P]
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build as esbuild, type Plugin } from "esbuild";
import { DEMO_NOW, generate } from "../examples/generate.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE = join(ROOT, "docs", "playground");
export const DIST = join(SOURCE, "dist");
/** Contacts in the page's sample. */
export const SAMPLE_SIZE = 5000;
/** Fields of a generated contact the page does not show or read (they only make the page heavier). */
const DROPPED = ["email", "siren", "codeNaf", "libelleNaf"];

/** The sample's records, as the page embeds them (dates as ISO text, as in contacts.ndjson). */
export function sampleRecords(count = SAMPLE_SIZE): Record<string, unknown>[] {
  const dir = mkdtempSync(join(tmpdir(), "cible-playground-"));
  try {
    const out = generate({ count, dir });
    return readFileSync(out.ndjson, "utf8")
      .trimEnd()
      .split("\n")
      .map((line) => {
        const record = JSON.parse(line) as Record<string, unknown>;
        for (const k of DROPPED) delete record[k];
        return record;
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Builds the page into {@link DIST}; returns the bundle's size in bytes and the records it embeds. */
export async function buildPlayground(count = SAMPLE_SIZE): Promise<{ dir: string; bytes: number; records: Record<string, unknown>[] }> {
  const records = sampleRecords(count);
  const demo: Plugin = {
    name: "playground-demo",
    setup(b) {
      b.onResolve({ filter: /^playground:demo$/ }, () => ({ path: "demo", namespace: "playground" }));
      b.onLoad({ filter: /.*/, namespace: "playground" }, () => ({
        loader: "js",
        contents: [
          `export const rules = ${JSON.stringify(readFileSync(join(ROOT, "examples", "b2b-france.cible"), "utf8"))};`,
          `export const now = ${JSON.stringify(DEMO_NOW)};`,
          `export const records = ${JSON.stringify(records)};`,
        ].join("\n"),
      }));
    },
  };
  mkdirSync(DIST, { recursive: true });
  const result = await esbuild({
    entryPoints: [join(SOURCE, "main.ts")],
    outfile: join(DIST, "playground.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    // No source map: it would hold the embedded sample a second time (11 MB).
    sourcemap: false,
    legalComments: "none",
    plugins: [demo],
    metafile: true,
    logLevel: "warning",
  });
  copyFileSync(join(SOURCE, "index.html"), join(DIST, "index.html"));
  copyFileSync(join(SOURCE, "playground.css"), join(DIST, "playground.css"));
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { dir: DIST, bytes, records };
}

const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".map": "application/json", ".png": "image/png" };

/** Serves `dir` on localhost (port 0: any free one); resolves with the server's URL. */
export function serveStatic(dir: string, port = 0): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    const file = normalize(join(dir, path.endsWith("/") ? `${path}index.html` : path));
    // Nothing outside the folder, whatever `..` the request holds.
    if (file !== dir && !file.startsWith(dir + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-cache" }).end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const p = typeof address === "object" && address ? address.port : port;
      ok({ url: `http://127.0.0.1:${p}/`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command = "build"] = process.argv.slice(2);
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const started = Date.now();
  const out = await buildPlayground(arg("--count"));
  console.log(`Built the playground into ${out.dir} (${(out.bytes / 1e6).toFixed(1)} MB of script) in ${Date.now() - started} ms.`);
  if (command === "serve") {
    const { url } = await serveStatic(out.dir, arg("--port") ?? 5178);
    console.log(`Playground: ${url}  (Ctrl-C to stop)`);
  } else if (command !== "build") {
    console.error(`unknown command ${command}: build or serve`);
    process.exitCode = 2;
  }
}
