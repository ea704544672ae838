import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { Contact, type Contact as ContactT } from "../../examples/schema.js";
import { analyze, checkRules, compileRules } from "../../src/rules/index.js";

const SOURCE = readFileSync(resolve(__dirname, "../../examples/b2b-france.cible"), "utf8");
const now = new Date("2026-06-01T08:00:00Z");
const ctx = { now, timeZone: "Europe/Paris" };
const days = (n: number) => new Date(now.getTime() - n * 86_400_000);

const base: ContactT = {
  id: "0",
  entreprise: "—",
  secteur: "commerce",
  effectif: 20,
  tranche: "10-49",
  chiffreAffaires: null,
  region: "Bretagne",
  fonction: "Autre",
  technos: [],
  crm: null,
  emailClicks30d: 0,
  pagesTarifs: 0,
  demoDemandee: false,
  derniereVisite: null,
  dernierAchat: null,
  parrainages: 0,
  evenements: [],
  achats: [],
  optinEmail: false,
  desinscrit: false,
  dateConsentement: null,
  canalPrefere: null,
  converti: null,
};

const clinique: ContactT = {
  ...base,
  id: "1",
  entreprise: "Clinique des Lilas",
  secteur: "santé",
  effectif: 420,
  tranche: "250-999",
  chiffreAffaires: 62_000_000,
  region: "Île-de-France",
  fonction: "DG",
  technos: ["Salesforce", "Slack"],
  crm: "Salesforce",
  emailClicks30d: 3,
  pagesTarifs: 2,
  demoDemandee: true,
  derniereVisite: days(3),
  dernierAchat: days(90),
  evenements: [{ type: "webinar", at: days(30) }, { type: "livre blanc", at: days(2) }],
  achats: [
    { date: days(90), montant: 30_000 },
    { date: days(200), montant: 8_000 },
  ],
  optinEmail: true,
  dateConsentement: days(400),
};

const usine: ContactT = {
  ...base,
  id: "2",
  entreprise: "Usinage Normand",
  secteur: "industrie",
  effectif: 120,
  tranche: "50-249",
  region: "Normandie",
  fonction: "Acheteur",
  technos: [],
  emailClicks30d: 1,
  dernierAchat: days(500),
  achats: [{ date: days(500), montant: 4_000 }],
};

const prospect: ContactT = { ...base, id: "3", secteur: "public", effectif: 5, tranche: "1-9", desinscrit: true };

describe("examples/b2b-france.cible", () => {
  it("checks without a diagnostic and compiles", () => {
    expect(checkRules(SOURCE, Contact)).toEqual({ ok: true, diagnostics: [] });
    const rules = compileRules(SOURCE, Contact);
    // `contactables` became `channel email`: a channel is not a segment
    expect(Object.keys(rules.segments)).toHaveLength(10);
    expect(Object.keys(rules.scores)).toEqual(["fit", "engagement"]);
    expect(Object.keys(rules.channels)).toEqual(["email", "telephone"]);
    expect(rules.splits.printemps!.arms).toEqual(["controle", "a", "b"]);
  });

  const rules = compileRules(SOURCE, Contact);

  it("evaluates a warm healthcare account", () => {
    const out = rules.evaluate(clinique, ctx);
    expect(out.segments).toEqual([
      "etiSante",
      "decideurs",
      "grandsComptesIdf",
      "equipesSalesforce",
      "engagesRecents",
      "participantsWebinar",
      "campagneSante",
    ]);
    // consent given 400 days ago: every segment may be e-mailed; no preferred channel: no call
    expect({ ...out.reachable }).toEqual({ email: out.segments, telephone: [] });
    // MD5("printemps:1") starts 599d81e2 = 1503494626, between 10% and 55% of 2^32: arm a
    expect({ ...out.splits }).toEqual({ printemps: "a" });
    // fit: 25 santé + 20 tranche + 15 décideur + 10 IdF + 10 Salesforce
    expect(out.scores.fit).toBe(80);
    // engagement: 15 clicks + 10 tarifs + 20 démo + 15 visite + 10 × 0.5 (webinar 30 days ago)
    expect(out.scores.engagement).toBeCloseTo(65, 10);
    expect({ ...out.stages }).toEqual({ parcours: "fidelisation" }); // two purchases, the last within 12 months
    expect({ ...out.tiers }).toEqual({ valeur: "important" });
    expect(rules.scores.engagement!.explain(clinique, ctx).contributions.map((c) => c.points)).toEqual([15, 10, 20, 15, 5, 0, 0]);
  });

  it("evaluates a dormant industrial customer and a cold prospect", () => {
    const u = rules.evaluate(usine, ctx);
    expect(u.segments).toEqual(["pmeIndustrie", "sansCrm"]);
    expect({ ...u.stages }).toEqual({ parcours: "achat" });
    expect({ ...u.tiers }).toEqual({ valeur: "standard" });
    const p = rules.evaluate(prospect, ctx);
    expect(p.segments).toEqual(["sansCrm"]);
    expect(p.scores).toEqual(expect.objectContaining({ fit: 0, engagement: 0 }));
    expect(rules.lifecycles.parcours!.stage(prospect, { ...ctx, previous: "evaluation" })).toBe("evaluation");
  });

  it("channels: unknown consent is not consent; the phone for who prefers it", () => {
    const importe: ContactT = { ...clinique, id: "5", optinEmail: null, dateConsentement: null, canalPrefere: "telephone" };
    const out = rules.evaluate(importe, ctx);
    // campagneSante reads @email, which is unknown: the record is not in it
    expect(out.segments).not.toContain("campagneSante");
    expect(out.segments).toContain("etiSante");
    expect({ ...out.reachable }).toEqual({ email: [], telephone: out.segments });
    expect(rules.channels.email!.evaluate(importe, ctx)).toBe(null);
    expect(rules.reach("etiSante", "email").evaluate(importe, ctx)).toBe(null);
    expect(rules.reach("etiSante", "telephone").test(importe, ctx)).toBe(true);
    // an unsubscribed contact may not be e-mailed, whatever its consent
    expect(rules.evaluate({ ...clinique, desinscrit: true }, ctx).reachable.email).toEqual([]);
  });

  it("splits printemps: 10% holdout, by id", () => {
    // MD5("printemps:10") starts with 0451ee95 = 72478357 < ⌈0.1 · 2^32⌉
    expect(rules.splits.printemps!.arm({ ...base, id: "10" })).toBe("controle");
    expect(rules.evaluate({ ...base, id: "3" }, ctx).splits).toEqual({ printemps: "b" });
  });

  it("assigns population tiers and RFM", () => {
    const population = [clinique, usine, prospect];
    const potentiel = rules.tiers.potentiel!;
    if (potentiel.method !== "quantiles") throw new Error("quantiles expected");
    // the highest value is always top, the lowest always in the last line (docs/rules.md)
    expect(potentiel.assign(population, ctx)).toEqual({ tiers: ["top", "milieu", "reste"], cuts: [420, 120] });
    const bigger = Array.from({ length: 10 }, (_, i) => ({ ...usine, effectif: (i + 1) * 100 }));
    expect(potentiel.assign(bigger, ctx).tiers).toEqual(["reste", "reste", "reste", "reste", "reste", "milieu", "milieu", "milieu", "top", "top"]);
    const rfm = rules.rfm.clients!.assign(population, ctx);
    expect(rfm.names[2]).toBe(null); // never bought
    expect(rfm.scores[0]!.r).toBeGreaterThan(rfm.scores[1]!.r);
  });

  it("analyzes the segments", () => {
    const report = analyze(rules, [clinique, usine, prospect], ctx);
    expect(report.segments.find((s) => s.name === "etiSante")).toEqual({ name: "etiSante", size: 1, share: 1 / 3 });
    expect(report.unsegmented.count).toBe(0);
    // 10 segments: channels do not count, so no warning at the default of 10; above 9, one on
    // the tenth segment
    expect(report.warnings.some((w) => w.code === "rules.too-many-segments")).toBe(false);
    const stricter = analyze(rules, [clinique, usine, prospect], ctx, { maxSegments: 9 });
    const tooMany = stricter.warnings.filter((w) => w.code === "rules.too-many-segments");
    expect(tooMany.map((w) => w.message)).toEqual(["This rules file defines 10 segments, more than 9."]);
    expect(tooMany[0]!.segments).toEqual(Object.keys(rules.segments));
    expect(tooMany[0]!.span.start.line).toBe(SOURCE.split("\n").indexOf("segment relanceChauds:") + 1);
  });

  it("does not report campagneSante nested in the segments it is written from", () => {
    // a second healthcare account, not a decision maker: etiSante is larger than campagneSante,
    // which is `@etiSante and @decideurs and @email and …`, inside etiSante by design
    const acheteur: ContactT = { ...clinique, id: "4", fonction: "Acheteur" };
    const report = analyze(rules, [clinique, acheteur, usine, prospect], ctx);
    expect(rules.evaluate(acheteur, ctx).segments).toContain("etiSante");
    const nested = report.warnings.filter((w) => w.code === "rules.nested-segment").map((w) => w.segments.join(" in "));
    expect(nested).not.toContain("campagneSante in etiSante");
    expect(nested).toContain("pmeIndustrie in sansCrm"); // by the records, not by a reference
  });
});
