/** Written by scripts/playground.ts at build time (an esbuild virtual module). */
declare module "playground:demo" {
  /** The demo's rules file, examples/b2b-france.cible. */
  export const rules: string;
  /** The instant the demo data is dated from (examples/generate.ts's DEMO_NOW). */
  export const now: string;
  /** A deterministic sample of the demo base (examples/generate.ts, seeded): dates as ISO text. */
  export const records: Record<string, unknown>[];
}
