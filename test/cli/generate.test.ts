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

  it("campaign fields: consent unknown for whole imported companies, preferred channel by role, conversion with the segments' signals", () => {
    const out = generate({ count: 1000, seed: 3, dir: join(tmp.dir, "e") });
    expect(readFileSync(out.csv, "utf8").split("\r\n", 1)[0]!.endsWith(",optinEmail,desinscrit,dateConsentement,canalPrefere,converti")).toBe(true);
    const json = JSON.parse(readFileSync(out.schema, "utf8"));
    expect(json.properties.optinEmail).toEqual({ type: ["boolean", "null"] });
    expect(json.properties.canalPrefere).toEqual({ anyOf: [{ type: "string", enum: ["email", "telephone", "linkedin"] }, { type: "null" }] });
    expect(json.properties.converti).toEqual({ type: ["boolean", "null"] });
    type R = { siren: string; fonction: string; demoDemandee: boolean; optinEmail: boolean | null; dateConsentement: string | null; canalPrefere: string | null; converti: boolean | null };
    const records: R[] = readFileSync(out.ndjson, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
    // Consent unknown (null, not false) for 18% here, company by company, and then no consent date.
    const unknown = records.filter((r) => r.optinEmail === null);
    expect(unknown.length).toBe(180);
    for (const r of unknown) expect(r.dateConsentement).toBe(null);
    const bySiren = new Map<string, Set<boolean>>();
    for (const r of records) bySiren.set(r.siren, (bySiren.get(r.siren) ?? new Set()).add(r.optinEmail === null));
    expect([...bySiren.values()].every((s) => s.size === 1)).toBe(true);
    // Preferred channel: executives call, technical roles do not.
    const phoneShare = (roles: string[]) => {
      const known = records.filter((r) => roles.includes(r.fonction) && r.canalPrefere !== null);
      return known.filter((r) => r.canalPrefere === "telephone").length / known.length;
    };
    expect(phoneShare(["DG"])).toBeGreaterThan(0.4);
    expect(phoneShare(["DSI", "CTO"])).toBeLessThan(0.2);
    expect(records.filter((r) => r.canalPrefere === null).length).toBe(354);
    // Conversion: unknown for 18%, about 9% of the others, more with the segments' signals.
    const known = records.filter((r) => r.converti !== null);
    expect(known.length).toBe(819);
    const rate = (xs: R[]) => xs.filter((r) => r.converti).length / xs.length;
    expect(rate(known)).toBeCloseTo(77 / 819, 10);
    expect(rate(known.filter((r) => r.demoDemandee))).toBeGreaterThan(2 * rate(known.filter((r) => !r.demoDemandee)));
    const decideur = (r: R) => ["DG", "DAF", "DSI", "CTO", "Directeur commercial"].includes(r.fonction);
    expect(rate(known.filter(decideur))).toBeGreaterThan(1.4 * rate(known.filter((r) => !decideur(r))));
  });
});
