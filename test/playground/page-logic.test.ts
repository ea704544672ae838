/**
 * The playground's logic that needs no browser: the numbers it shows (runRules: the library's
 * rules.evaluate over the records, errors kept apart), the dates it revives, and the share link
 * (a round trip, the size limit, links that cannot be read).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reviveDates, runRules } from "../../docs/playground/evaluate.js";
import { SHARE_LIMIT, decodeShare, encodeShare } from "../../docs/playground/share.js";
import { Contact } from "../../examples/schema.js";
import { checkRules, compileRules } from "../../src/index.js";

const ctx = { now: new Date("2026-06-01T08:00:00Z"), timeZone: "Europe/Paris" };
const base = {
  id: "C1", entreprise: "A", secteur: "santé", effectif: 300, tranche: "250-999", chiffreAffaires: null, region: "Bretagne", fonction: "DAF",
  technos: [], crm: null, emailClicks30d: 3, pagesTarifs: 0, demoDemandee: false, derniereVisite: "2026-05-20T10:00:00Z", dernierAchat: null,
  parrainages: 0, evenements: [{ type: "webinar", at: "2026-05-01T09:00:00Z" }], achats: [{ date: "2026-01-02T00:00:00Z", montant: 1200 }],
  optinEmail: true, desinscrit: false, dateConsentement: "2025-01-01T00:00:00Z", canalPrefere: "email", converti: null,
};
const records = [base, { ...base, id: "C2", secteur: "tech", fonction: "Autre", derniereVisite: null }, { ...base, id: "C3", evenements: [] }];
const RULES = 'segment sante:\n  secteur = "santé"\n\nsegment webinar:\n  any evenements where (type = "webinar" and at < 90 days)\n\nscore s:\n  +10 if @sante\n';

describe("the playground's numbers", () => {
  it("are rules.evaluate's over the records", () => {
    const run = runRules(RULES, Contact, records, ctx);
    expect(run.diagnostics).toEqual([]);
    const rules = compileRules(RULES, Contact);
    const sizes = new Map<string, number>();
    for (const r of records) for (const s of rules.evaluate(r as never, ctx).segments) sizes.set(s, (sizes.get(s) ?? 0) + 1);
    expect(run.results!.segments).toEqual(Object.keys(rules.segments).map((name) => ({ name, size: sizes.get(name) ?? 0, share: (sizes.get(name) ?? 0) / 3 })));
    expect(run.results!.segments.map((s) => s.size)).toEqual([2, 2]);
    expect(run.results!.recordSegments).toEqual([["sante", "webinar"], ["webinar"], ["sante"]]);
    expect(run.results!.scores.map((s) => [s.name, s.max])).toEqual([["s", 10]]);
  });

  it("are absent while the text has errors, with checkRules' diagnostics; no text makes it throw", () => {
    const run = runRules('segment a:\n  secteru = "santé"\n', Contact, records, ctx);
    expect(run.results).toBeUndefined();
    expect(run.diagnostics.map((d) => d.code)).toEqual(["field.unknown"]);
    // A parameter checks, but the page binds no value: evaluation's diagnostic, no results.
    const param = runRules("segment a:\n  effectif > $min\n", Contact, records, ctx);
    expect(param.results).toBeUndefined();
    expect(param.diagnostics.map((d) => d.code)).toEqual(["param.missing"]);
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (tail) => {
        const source = `segment a:\n  ${tail}`;
        const r = runRules(source, Contact, records, ctx);
        expect(r.results !== undefined || r.diagnostics.some((d) => d.severity === "error")).toBe(true);
        // Every diagnostic of checkRules, warnings included (the page compiles once, without checkRules first).
        const checked = checkRules(source, Contact).diagnostics;
        expect(r.diagnostics.slice(r.diagnostics.length - checked.length)).toEqual(checked);
      }),
      { numRuns: 100 },
    );
  });

  it("revives dates, top level and in lists of objects, and gives the same counts", () => {
    const revived = reviveDates(records, Contact);
    expect(revived[0]!.derniereVisite).toEqual(new Date("2026-05-20T10:00:00Z"));
    expect((revived[0]!.evenements as { at: unknown }[])[0]!.at).toEqual(new Date("2026-05-01T09:00:00Z"));
    expect(revived[1]!.derniereVisite).toBeNull();
    expect(revived[0]!.secteur).toBe("santé");
    expect(records[0]!.derniereVisite).toBe("2026-05-20T10:00:00Z"); // the input is not changed
    expect(runRules(RULES, Contact, revived, ctx).results!.segments).toEqual(runRules(RULES, Contact, records, ctx).results!.segments);
  });
});

describe("the share link", () => {
  it("gives back the rules, now and zone it encoded", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 400, unit: "grapheme" }), fc.constantFrom("UTC", "Europe/Paris"), async (rules, timeZone) => {
        const value = { rules, now: "2026-06-01T08:00:00.000Z", timeZone };
        const out = await encodeShare(value);
        if (!("hash" in out)) throw new Error(out.error);
        expect(out.hash).toMatch(/^#s=[A-Za-z0-9_-]+$/);
        expect(await decodeShare(out.hash)).toEqual(value);
      }),
      { numRuns: 50 },
    );
  });

  it(`refuses a link past ${SHARE_LIMIT} characters with a message`, async () => {
    let junk = "";
    // Pseudo-random letters and digits (xorshift): text that deflate cannot shrink much.
    let x = 2463534242;
    for (let i = 0; i < 20000; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      junk += ((x >>> 0) % 36).toString(36);
    }
    const out = await encodeShare({ rules: junk, now: "2026-06-01T08:00:00.000Z", timeZone: "UTC" });
    expect("error" in out ? out.error : out.hash).toMatch(/too long to share in a link: [\d,]+ characters compressed, the limit is 8,000/);
  });

  it("reads nothing from a hash that is cut, altered or not ours", async () => {
    const out = await encodeShare({ rules: "segment a:\n  effectif > 10\n", now: "2026-06-01T08:00:00.000Z", timeZone: "UTC" });
    if (!("hash" in out)) throw new Error(out.error);
    expect(await decodeShare(out.hash.slice(0, -6))).toBeNull();
    expect(await decodeShare("#s=AAAA")).toBeNull();
    expect(await decodeShare("#section-2")).toBeNull();
    expect(await decodeShare("")).toBeNull();
  });
});
