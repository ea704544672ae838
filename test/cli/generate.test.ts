/** The demo base: deterministic, valid against its JSON Schema, realistic enough to segment. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import codesNaf from "@socialgouv/codes-naf";
import { generate } from "../../examples/generate.js";
import { scratch } from "./helpers.js";

const tmp = scratch();

describe("examples/generate.ts", () => {
  it("is deterministic: same seed, same bytes; another seed, other data", () => {
    const a = generate({ count: 400, seed: 11, dir: join(tmp.dir, "a") });
    const b = generate({ count: 400, seed: 11, dir: join(tmp.dir, "b") });
    const c = generate({ count: 400, seed: 12, dir: join(tmp.dir, "c") });
    for (const k of ["ndjson", "csv", "schema"] as const) expect(readFileSync(a[k], "utf8")).toBe(readFileSync(b[k], "utf8"));
    expect(readFileSync(a.ndjson, "utf8")).not.toBe(readFileSync(c.ndjson, "utf8"));
    expect(readFileSync(a.csv, "utf8").startsWith("\uFEFFid,prenom,nom,email,entreprise")).toBe(true);
  });

  it("writes records that its JSON Schema accepts, with real NAF codes and consistent bands", () => {
    const out = generate({ count: 1000, seed: 3, dir: join(tmp.dir, "d") });
    const schema = z.fromJSONSchema(JSON.parse(readFileSync(out.schema, "utf8")));
    const records = readFileSync(out.ndjson, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(records).toHaveLength(1000);
    const naf = new Set(codesNaf.map((c) => c.id));
    const bands: Record<string, [number, number]> = { "1-9": [1, 9], "10-49": [10, 49], "50-249": [50, 249], "250-999": [250, 999], "1000+": [1000, Infinity] };
    for (const r of records) {
      expect(() => schema.parse(r)).not.toThrow();
      expect(naf.has(r.codeNaf)).toBe(true);
      const [lo, hi] = bands[r.tranche]!;
      expect(r.effectif >= lo && r.effectif <= hi).toBe(true);
      expect(r.dernierAchat).toBe(r.achats.length ? r.achats[r.achats.length - 1].date : null);
    }
    expect(new Set(records.map((r) => r.secteur)).size).toBe(8);
    expect(new Set(records.map((r) => r.id)).size).toBe(1000);
  });
});
