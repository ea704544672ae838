/**
 * The scale bench's own pieces: the generated data is the demo's schema and the same bytes every
 * time; the comparison of two `--out` files tells equal answers from different ones.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { agree, compareOutputs } from "../../bench/scale-compare.js";
import { scaleData } from "../../bench/scale-data.js";
import { Contact } from "../../examples/schema.js";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "cible-scale-test-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A record of the NDJSON file with its ISO dates as `Date`s, as the schema wants them. */
function revive(line: string): unknown {
  return JSON.parse(line, (k, v) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v) ? new Date(v) : v));
}

describe("bench/scale-data.ts", () => {
  it("writes records of examples/schema.ts, the same bytes in two places, with the counts it reports", async () => {
    const saved = process.env.SCALE_DIR;
    try {
      process.env.SCALE_DIR = tempDir();
      const a = await scaleData(3000, { ndjson: true, threads: 1 });
      process.env.SCALE_DIR = tempDir();
      const b = await scaleData(3000, { ndjson: true, threads: 1 });
      const text = readFileSync(a.ndjson, "utf8");
      expect(readFileSync(b.ndjson, "utf8")).toBe(text);
      const lines = text.trimEnd().split("\n");
      expect(lines).toHaveLength(3000);
      let events = 0;
      let purchases = 0;
      const secteurs = new Set<string>();
      for (const line of lines) {
        const parsed = Contact.safeParse(revive(line));
        if (!parsed.success) throw new Error(`${line}\n${parsed.error.message}`);
        events += parsed.data.evenements.length;
        purchases += parsed.data.achats.length;
        secteurs.add(parsed.data.secteur);
        // dernierAchat is the last purchase, as in examples/generate.ts.
        const last = parsed.data.achats.reduce<number | null>((m, p) => Math.max(m ?? -Infinity, p.date.getTime()), null);
        expect(parsed.data.dernierAchat?.getTime() ?? null).toBe(last);
      }
      expect({ contacts: a.contacts, events: a.events, purchases: a.purchases }).toEqual({ contacts: 3000, events, purchases });
      // About 5 events a contact, every sector present.
      expect(events / 3000).toBeGreaterThan(4.5);
      expect(events / 3000).toBeLessThan(5.5);
      expect(secteurs.size).toBe(Contact.shape.secteur.options.length);
      const schema = JSON.parse(readFileSync(a.schema, "utf8")) as { properties: Record<string, unknown> };
      expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(Contact.shape).sort());
    } finally {
      if (saved === undefined) delete process.env.SCALE_DIR;
      else process.env.SCALE_DIR = saved;
    }
  });
});

describe("bench/scale-compare.ts", () => {
  const line = (id: string, segments: string[], engagement: number) =>
    JSON.stringify({ id, segments, scores: { fit: 15, engagement }, stages: { parcours: "decouverte" }, tiers: { valeur: "standard" } });
  const files = (a: string[], b: string[]) => {
    const d = tempDir();
    writeFileSync(join(d, "a.ndjson"), `${a.join("\n")}\n`);
    writeFileSync(join(d, "b.ndjson"), `${b.join("\n")}\n`);
    return [join(d, "a.ndjson"), join(d, "b.ndjson")] as const;
  };

  it("agrees when only the last bits of scores differ, and counts the identical lines", async () => {
    const [a, b] = files([line("C1", ["x"], 10.134547831372153), line("C2", [], 0)], [line("C1", ["x"], 10.134547831372151), line("C2", [], 0)]);
    const c = await compareOutputs(a, b);
    expect(agree(c)).toBe(true);
    expect(c).toMatchObject({ lines: 2, identical: 1, differing: 0, extra: 0 });
    expect(c.maxScoreDiff).toBeGreaterThan(0);
  });

  it("disagrees on a segment, a score past 1e-9, or a missing line", async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 2 }), async (score, change) => {
        const base = [line("C1", ["x"], score), line("C2", ["y"], score)];
        const other =
          change === 0
            ? [line("C1", ["x"], score), line("C2", ["y", "z"], score)]
            : change === 1
              ? [line("C1", ["x"], score + Math.max(1, Math.abs(score)) * 1e-6), line("C2", ["y"], score)]
              : [line("C1", ["x"], score)];
        const [a, b] = files(base, other);
        const c = await compareOutputs(a, b);
        expect(agree(c)).toBe(false);
        expect(change === 2 ? c.extra : c.differing).toBe(1);
      }),
      { numRuns: 30 },
    );
  });
});
