import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compileRules } from "../../src/index.js";
import { SMALL_RULES, SMALL_SCHEMA, cli, scratch } from "./helpers.js";

const tmp = scratch();
const schema = tmp.file("schema.json", JSON.stringify(SMALL_SCHEMA));
const rulesFile = tmp.file("rules.cible", SMALL_RULES);
const NOW = "2026-06-01T00:00:00Z";
const rules = compileRules(SMALL_RULES, z.fromJSONSchema(SMALL_SCHEMA as never));
const ctx = { now: new Date(NOW) };

/** The records the CSV below holds, typed. */
const RECORDS = [
  { id: "a1", entreprise: "Dupont, Fils et Cie", secteur: "santé", effectif: 420, ca: 12.5, technos: ["Salesforce", "Slack"], optin: true, dernierAchat: "2026-05-20" },
  { id: "a2", entreprise: 'Les "Ateliers" du Nord', secteur: "industrie", effectif: 60, ca: null, technos: [], optin: false, dernierAchat: null },
  { id: "a3", entreprise: "Banque\nRhône-Alpes", secteur: "finance", effectif: 1200, ca: 3, technos: ["HubSpot"], optin: true, dernierAchat: "2025-01-02" },
  { id: "a4", entreprise: "Clinique, du Parc", secteur: "santé", effectif: 12, ca: 0.5, technos: ["Salesforce"], optin: false, dernierAchat: "2026-03-15" },
];

const CSV =
  "\uFEFFid,entreprise,secteur,effectif,ca,technos,optin,dernierAchat\r\n" +
  'a1,"Dupont, Fils et Cie",santé,420,12.5,"Salesforce|Slack",true,2026-05-20\r\n' +
  'a2,"Les ""Ateliers"" du Nord",industrie,60,,,false,\r\n' +
  'a3,"Banque\nRhône-Alpes",finance,1200,3,HubSpot,oui,2025-01-02\r\n' +
  'a4,"Clinique, du Parc",santé,12,"0.5",Salesforce,non,2026-03-15\r\n';

/** A line of --out: what rules.evaluate returns, with the id first (nextChange is not enumerable). */
const outLine = (id: string, e: ReturnType<typeof rules.evaluate>) => ({ id, ...e });
/** With --next-change: nextChange last (ISO text or null). */
const nextChangeLine = (id: string, e: ReturnType<typeof rules.evaluate>) => ({ id, ...e, nextChange: e.nextChange ? e.nextChange.toISOString() : null });
const expected = RECORDS.map((r) => JSON.stringify(outLine(r.id, rules.evaluate(r, ctx))));

const lines = (path: string) => readFileSync(path, "utf8").trimEnd().split("\n");

describe("cible eval", () => {
  it("--next-change: each --out line ends with nextChange, as rules.evaluate gives it; refused without --out or with --engine", async () => {
    const data = tmp.file("contacts-nc.csv", CSV);
    const out = `${tmp.dir}/out-nc.ndjson`;
    const r = await cli(["eval", rulesFile, data, "--schema", schema, "--now", NOW, "--out", out, "--next-change"]);
    expect(r.code, r.stderr).toBe(0);
    const withInstants = RECORDS.map((rec) => JSON.stringify(nextChangeLine(rec.id, rules.evaluate(rec, ctx))));
    expect(lines(out)).toEqual(withInstants);
    expect(withInstants.some((l) => /"nextChange":"\d{4}-/.test(l))).toBe(true);
    const noOut = await cli(["eval", rulesFile, data, "--schema", schema, "--now", NOW, "--next-change"]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("--next-change adds nextChange to the lines of --out");
    const engine = await cli(["eval", rulesFile, data, "--schema", schema, "--now", NOW, "--out", out, "--next-change", "--engine", "duckdb"]);
    expect(engine.code).toBe(2);
    expect(engine.stderr).toContain("--next-change runs with --engine js only");
  });

  it("CSV with a BOM, quoted commas, quotes and new lines: --out has one line per record, in order, as rules.evaluate", async () => {
    const data = tmp.file("contacts.csv", CSV);
    const out = `${tmp.dir}/out.ndjson`;
    const r = await cli(["eval", rulesFile, data, "--schema", schema, "--now", NOW, "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(lines(out)).toEqual(expected);
    expect(r.stdout).toContain("4 records");
    expect(r.stdout).toMatch(/sante\s+\S+\s+2\s+50\.0%/);
    expect(r.stdout).toContain("Wrote 4 lines");
  });

  it("a `;` CSV as French Excel writes it: decimal commas, day-first dates, oui/non", async () => {
    const fr =
      "id;entreprise;secteur;effectif;ca;technos;optin;dernierAchat\n" +
      "a1;Dupont, Fils et Cie;santé;420;12,5;Salesforce|Slack;oui;20/05/2026\n" +
      'a2;"Les ""Ateliers"" du Nord";industrie;60;;;non;\n' +
      'a3;"Banque\nRhône-Alpes";finance;1 200;3;HubSpot;oui;02/01/2025\n' +
      "a4;Clinique, du Parc;santé;12;0,5;Salesforce;non;15/03/2026\n";
    const data = tmp.file("fr.csv", fr);
    const out = `${tmp.dir}/fr.ndjson`;
    const r = await cli(["eval", rulesFile, data, "--schema", schema, "--now", NOW, "--out", out]);
    expect(r.stderr).toBe("");
    expect(lines(out)).toEqual(expected);
  });

  it("NDJSON from standard input, --out - on stdout and the summary on stderr", async () => {
    const ndjson = `${RECORDS.map((r) => JSON.stringify(r)).join("\n")}\n`;
    const r = await cli(["eval", rulesFile, "-", "--schema", schema, "--now", NOW, "--out", "-"], { stdin: ndjson });
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split("\n")).toEqual(expected);
    expect(r.stderr).toContain("Segments");
  });

  it("a .gz file is read through gunzip", async () => {
    const data = tmp.file("contacts.ndjson.gz", "");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(data, gzipSync(RECORDS.map((r) => JSON.stringify(r)).join("\n")));
    const out = `${tmp.dir}/gz.ndjson`;
    expect((await cli(["eval", rulesFile, data, "--schema", schema, "--now", NOW, "--out", out])).code).toBe(0);
    expect(lines(out)).toEqual(expected);
  });

  it("--json prints the summary: sizes, score distribution, funnel, threshold and quantile tiers", async () => {
    const data = tmp.file("contacts2.csv", CSV);
    const r = await cli(["eval", rulesFile, data, "--schema", schema, "--now", NOW, "--json"]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.records).toBe(4);
    expect(s.now).toBe("2026-06-01T00:00:00.000Z");
    expect(s.segments).toEqual([
      { name: "sante", size: 2, share: 0.5 },
      { name: "grosses", size: 2, share: 0.5 },
      { name: "salesforce", size: 2, share: 0.5 },
      { name: "recents", size: 2, share: 0.5 },
    ]);
    const fit = RECORDS.map((x) => rules.scores.fit!.score(x, ctx));
    expect(s.scores[0]).toMatchObject({ name: "fit", min: Math.min(...fit), max: Math.max(...fit) });
    expect(s.lifecycles[0].stages.map((x: { reached: number }) => x.reached)).toEqual([4, 3, 1]);
    expect(s.tiers[0]).toMatchObject({ name: "taille", method: "thresholds", tiers: [{ name: "grande", count: 2 }, { name: "moyenne", count: 1 }, { name: "petite", count: 1 }] });
    const rang = rules.tiers.rang!;
    if (rang.method !== "quantiles") throw new Error("quantiles expected");
    const lib = rang.assign(RECORDS, ctx);
    expect(s.tiers[1]).toMatchObject({ name: "rang", method: "quantiles", cuts: lib.cuts });
    expect(s.tiers[1].tiers.map((t: { count: number }) => t.count)).toEqual(["haut", "bas"].map((n) => lib.tiers.filter((t) => t === n).length));
  });

  it("cells that do not read as their type are reported, and rules see them as unknown", async () => {
    const data = tmp.file("bad-cells.csv", "id,entreprise,secteur,effectif,ca,technos,optin,dernierAchat\nx,A,santé,douze,1,,true,hier\n");
    const out = `${tmp.dir}/bad.ndjson`;
    const r = await cli(["eval", rulesFile, data, "--schema", schema, "--now", NOW, "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('effectif (an integer): 1 cell, e.g. record 1: "douze"');
    expect(r.stderr).toContain('dernierAchat (a date): 1 cell, e.g. record 1: "hier"');
    const line = JSON.parse(lines(out)[0]!);
    expect(line.tiers.taille).toBeNull();
    expect(line.segments).toEqual(["sante"]);
  });

  it("without --schema it infers one from the data and says what it inferred", async () => {
    const data = tmp.file("infer.csv", CSV);
    const out = `${tmp.dir}/infer.ndjson`;
    const r = await cli(["eval", rulesFile, data, "--now", NOW, "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("no --schema: inferred from 4 records of");
    expect(r.stderr).toContain("effectif: integer");
    expect(r.stderr).toContain("technos: list of text");
    expect(r.stderr).toContain("dernierAchat: date, or empty");
    expect(r.stderr).toContain("optin: yes/no");
    expect(lines(out)).toEqual(expected);
  });

  it("rules with errors stop before reading the data: exit 1 with the diagnostics", async () => {
    const broken = tmp.file("broken.cible", "segment a:\n  effectf > 1\n");
    const data = tmp.file("any.csv", CSV);
    const r = await cli(["eval", broken, data, "--schema", schema]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error field.unknown at");
    expect(r.stderr).toContain("broken.cible:2:3");
  });

  it("exit 2 for bad input: missing data, bad NDJSON line, bad --now, unknown time zone, missing parameter", async () => {
    const data = tmp.file("ok.csv", CSV);
    expect((await cli(["eval", rulesFile, "missing.csv", "--schema", schema])).code).toBe(2);
    expect((await cli(["eval", rulesFile, data, "--schema", schema, "--max-errors", "-1"])).stderr).toContain("--max-errors takes a whole number");
    expect((await cli(["eval", rulesFile, data, "--schema", schema, "--now", "hier"])).stderr).toContain("--now takes an ISO 8601 date");
    expect((await cli(["eval", rulesFile, data, "--schema", schema, "--tz", "Mars/Olympus"])).code).toBe(2);
    const param = tmp.file("param.cible", "segment a:\n  effectif >= $min\n");
    const p = await cli(["eval", param, data, "--schema", schema]);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain("param.");
    expect((await cli(["eval", param, data, "--schema", schema, "--param", "min=100"])).code).toBe(0);
  });

  describe("NDJSON lines that are not a JSON object", () => {
    // Line 3 is a truncated record, line 5 a stray value; the other lines are records.
    const text = [RECORDS[0], RECORDS[1]].map((r) => JSON.stringify(r)).join("\n") + '\n{"id":"a3","entreprise":"Ban\n' + JSON.stringify(RECORDS[2]) + "\n42\n" + JSON.stringify(RECORDS[3]) + "\n";
    const good = [expected[0], expected[1], expected[2], expected[3]];
    const noTemp = () => expect(readdirSync(tmp.dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    it("are left out: the run goes on, lists them (line numbers, reasons) and exits 1", async () => {
      const data = tmp.file("export.ndjson", text);
      const out = `${tmp.dir}/export-out.ndjson`;
      const r = await cli(["eval", rulesFile, data, "--schema", schema, "--now", NOW, "--out", out]);
      expect(r.code).toBe(1);
      expect(lines(out)).toEqual(good);
      expect(r.stdout).toContain("4 records");
      expect(r.stderr).toContain("export.ndjson: 2 lines are not a JSON object and were left out:");
      expect(r.stderr).toMatch(/line 3: not a JSON object \(.+\)/);
      expect(r.stderr).toContain("line 5: expected a JSON object, found 42");
      noTemp();
      const j = await cli(["eval", rulesFile, data, "--schema", schema, "--now", NOW, "--json"]);
      expect(j.code).toBe(1);
      expect(JSON.parse(j.stdout).badLines).toMatchObject({ count: 2, first: [{ line: 3 }, { line: 5 }] });
    });

    it("--max-errors N stops at the line after the Nth: exit 2, and --out is not written (a previous one is kept)", async () => {
      const data = tmp.file("export2.ndjson", text);
      const out = `${tmp.dir}/export2-out.ndjson`;
      const r = await cli(["eval", rulesFile, data, "--schema", schema, "--now", NOW, "--out", out, "--max-errors", "1"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("export2.ndjson:5: expected a JSON object, found 42; stopped after 2 lines that are not a JSON object (--max-errors 1)");
      expect(existsSync(out)).toBe(false);
      noTemp();
      writeFileSync(out, "previous run\n");
      const z = await cli(["eval", rulesFile, data, "--schema", schema, "--now", NOW, "--out", out, "--max-errors", "0"]);
      expect(z.code).toBe(2);
      expect(z.stderr).toContain("export2.ndjson:3: not a JSON object");
      expect(readFileSync(out, "utf8")).toBe("previous run\n");
      noTemp();
      const ok = await cli(["eval", rulesFile, data, "--schema", schema, "--now", NOW, "--out", out, "--max-errors", "2"]);
      expect(ok.code).toBe(1);
      expect(lines(out)).toEqual(good);
    });

    it("report goes on past them too", async () => {
      const data = tmp.file("export3.ndjson", text);
      const r = await cli(["report", rulesFile, data, "--schema", schema, "--now", NOW]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("2 lines are not a JSON object");
    });
  });
});

describe("cible eval --channel", () => {
  const campaignSchema = tmp.file("campaign.schema.json", JSON.stringify({ ...SMALL_SCHEMA, properties: { ...SMALL_SCHEMA.properties, optin: { type: ["boolean", "null"] } } }));
  const campaignRules = `${SMALL_RULES}
channel email:
  optin

channel courrier:
  ca is set

split test by id:
  a 50%
  b 50%
`;
  const campaignFile = tmp.file("campaign.cible", campaignRules);
  const compiled = compileRules(campaignRules, z.fromJSONSchema({ ...SMALL_SCHEMA, properties: { ...SMALL_SCHEMA.properties, optin: { type: ["boolean", "null"] } } } as never));
  const base = { entreprise: "X", secteur: "industrie", effectif: 20, ca: null, technos: [], optin: true, dernierAchat: null };
  const records = [
    { ...base, id: "r1", secteur: "santé", effectif: 420 }, // in sante and grosses, consent: written
    { ...base, id: "r2" }, // consent, but in no segment: not written
    { ...base, id: "r3", secteur: "santé", optin: null }, // in sante, consent unknown: not written
    { ...base, id: "r4", effectif: 300, optin: false }, // in grosses, no consent: not written
    { ...base, id: "r5", secteur: "finance", effectif: 1200, ca: 3 }, // in grosses, consent: written
  ];
  const data = tmp.file("campaign.ndjson", `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
  const evaluated = records.map((r) => outLine(r.id, compiled.evaluate(r, ctx)));

  it("writes the same lines as --out, for the records the channel reaches in at least one segment", async () => {
    const all = `${tmp.dir}/campaign-all.ndjson`;
    const email = `${tmp.dir}/campaign-email.ndjson`;
    expect((await cli(["eval", campaignFile, data, "--schema", campaignSchema, "--now", NOW, "--out", all])).code).toBe(0);
    const r = await cli(["eval", campaignFile, data, "--schema", campaignSchema, "--now", NOW, "--channel", "email", "--out", email]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    // Every line carries reachable and splits, as rules.evaluate gives them.
    expect(lines(all)).toEqual(evaluated.map((e) => JSON.stringify(e)));
    expect(JSON.parse(lines(all)[0]!)).toMatchObject({ reachable: { email: ["sante", "grosses"], courrier: [] }, splits: { test: compiled.splits.test!.arm(records[0]!) } });
    expect(lines(email)).toEqual([lines(all)[0], lines(all)[4]]);
    expect(lines(email).map((l) => JSON.parse(l).id)).toEqual(["r1", "r5"]);
    expect(r.stdout).toContain("5 records");
    expect(r.stdout).toContain(`Wrote 2 lines (the records channel email reaches in a segment) to ${email}`);
    // The summary: per segment, the records each channel reaches; per channel, reached / unknown / in a segment; arms.
    expect(r.stdout).toMatch(/segment\s+records\s+share\s+→ email\s+→ courrier\n\s+sante\s+\S+\s+2\s+40\.0%\s+1\s+0\n\s+grosses\s+\S+\s+3\s+60\.0%\s+2\s+1\n/);
    expect(r.stdout).toMatch(/email\s+\S+\s+3\s+60\.0%\s+1\s+2\n/);
    expect(r.stdout).toContain("Split test");
  });

  it("--json gives the channels and the arms", async () => {
    const r = await cli(["eval", campaignFile, data, "--schema", campaignSchema, "--now", NOW, "--channel", "email", "--out", `${tmp.dir}/campaign-json.ndjson`, "--json"]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.written).toBe(2);
    expect(s.channels[0]).toEqual({
      name: "email",
      reachable: 3,
      unknown: 1,
      inSegment: 2,
      segments: [
        { name: "sante", reachable: 1 },
        { name: "grosses", reachable: 2 },
        { name: "salesforce", reachable: 0 },
        { name: "recents", reachable: 0 },
      ],
    });
    expect(s.channels[1]).toMatchObject({ name: "courrier", reachable: 1, unknown: 0, inSegment: 1 });
    const arms = records.map((x) => compiled.splits.test!.arm(x));
    expect(s.splits).toEqual([{ name: "test", arms: ["a", "b"].map((name) => ({ name, count: arms.filter((a) => a === name).length })), unknown: 0 }]);
  });

  it("a rules file without segments: the records the channel reaches", async () => {
    const only = tmp.file("only-channel.cible", "channel email:\n  optin\n\nscore fit:\n  +10 if effectif >= 250\n");
    const r = await cli(["eval", only, data, "--schema", campaignSchema, "--now", NOW, "--channel", "email", "--out", "-"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l).id)).toEqual(["r1", "r2", "r5"]);
    expect(r.stderr).toContain("Wrote 3 lines (the records channel email reaches)\n");
  });

  it("an unknown channel, or no --out: exit 2 with a hint", async () => {
    const r = await cli(["eval", campaignFile, data, "--schema", campaignSchema, "--channel", "sms", "--out", `${tmp.dir}/sms.ndjson`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('campaign.cible has no channel "sms"');
    expect(r.stderr).toContain("hint: its channels: email, courrier");
    expect(existsSync(`${tmp.dir}/sms.ndjson`)).toBe(false);
    const none = await cli(["eval", rulesFile, data, "--schema", campaignSchema, "--channel", "email", "--out", `${tmp.dir}/none.ndjson`]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("hint: it defines no channel");
    const noOut = await cli(["eval", campaignFile, data, "--schema", campaignSchema, "--channel", "email"]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("--channel chooses the lines of --out, and there is no --out");
  });
});
