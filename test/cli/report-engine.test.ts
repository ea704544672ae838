/**
 * `cible report --engine duckdb|clickhouse`: the report computed from the engine's rows has the
 * in-process report's numbers — sizes, overlaps, records in no segment, reach, split arms, scores,
 * lifecycle funnels, tiers, RFM, the records each segment leaves unknown, the warnings — and says
 * what it leaves out (data quality's fields, the cuts, `--outcome`) in text, JSON and HTML.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SMALL_RULES, SMALL_SCHEMA, cli, scratch } from "./helpers.js";

const tmp = scratch();
const rulesFile = tmp.file(
  "rules.cible",
  `${SMALL_RULES}
segment salesforceSante:
  @salesforce and @sante

segment tresGrosses:
  effectif >= 1000

channel email:
  optin

split test by id:
  a 30%
  b 70%

rfm valeur:
  recency dernierAchat
  frequency effectif
  monetary ca
`,
);
const schema = tmp.file("schema.json", JSON.stringify(SMALL_SCHEMA));
const NOW = "2026-06-01T00:00:00Z";
const SECTEURS = ["santé", "sante\u0301", "finance", "industrie", "", "autre"];
const TECHNOS = ["Salesforce|Slack", "", "HubSpot", "Salesforce", "Slack;Salesforce"];
const line = (i: number) => {
  const day = i % 6 === 0 ? "" : (() => {
    const d = new Date(Date.UTC(2025, 0, 1) + ((i * 11) % 520) * 86_400_000);
    return `${String(d.getUTCDate()).padStart(2, "0")}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${d.getUTCFullYear()}`;
  })();
  const ca = i % 5 === 0 ? "" : String(((i * 13) % 400) / 8).replace(".", ",");
  return [`c${i}`, `"E${i}"`, SECTEURS[i % 6], i % 7 === 0 ? "" : (i * 37) % 1500, ca, `"${TECHNOS[i % 5]}"`, ["oui", "non", ""][i % 3], day].join(";");
};
const data = tmp.file("contacts.csv", `id;entreprise;secteur;effectif;ca;technos;optin;dernierAchat\n${Array.from({ length: 150 }, (_, i) => line(i + 1)).join("\n")}\n`);

type Report = Record<string, unknown> & {
  tiers: { cuts?: unknown }[];
  rfm: { cuts?: unknown }[];
  analysis: { coverage: { fields: unknown[]; segments: { fields?: unknown }[] }; warnings: { code: string; segments: string[]; message?: string; hint?: string }[] };
};

/** The report's numbers, without what the engine report leaves out (and says so). */
function numbers(text: string): Report {
  const j = JSON.parse(text) as Report;
  for (const k of ["seconds", "unreadCells", "engine"]) delete j[k];
  for (const t of j.tiers) delete t.cuts;
  for (const m of j.rfm) delete m.cuts;
  j.analysis.coverage.fields = [];
  for (const s of j.analysis.coverage.segments) delete s.fields;
  // A many-unknown warning names the fields behind the unknown records, which the engine cannot know.
  for (const w of j.analysis.warnings) {
    delete w.message;
    delete w.hint;
  }
  return j;
}

describe("cible report --engine", () => {
  const base = ["report", rulesFile, data, "--schema", schema, "--now", NOW, "--tz", "Europe/Paris", "--min-share", "0.2", "--max-unknown-share", "0.1"];

  for (const engine of ["duckdb", "clickhouse"]) {
    it(`${engine}: the in-process report's numbers (JSON), and what it leaves out said in text, JSON and HTML`, async () => {
      const a = await cli([...base, "--json"]);
      expect(a.code, a.stderr).toBe(0);
      const b = await cli([...base, "--json", "--engine", engine]);
      expect(b.code, b.stderr).toBe(0);
      const js = numbers(a.stdout);
      expect(numbers(b.stdout)).toEqual(js);
      // The report is not trivial: overlaps, warnings, a split and reach.
      expect(js.analysis.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(["rules.small-segment", "rules.many-unknown", "rules.nested-segment"]));
      expect(JSON.parse(b.stdout).engine.omitted.join(" ")).toContain("data quality");
      const html = join(tmp.dir, `${engine}.html`);
      const text = await cli([...base, "--engine", engine, "--html", html]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain("Not in this report");
      expect(text.stdout).toContain(`--engine ${engine}`);
      expect(text.stdout).toContain("Largest overlaps");
      expect(readFileSync(html, "utf8")).toContain("Not in this report");
    });
  }

  it("--outcome with --engine: exit 2, saying why", async () => {
    const r = await cli([...base, "--engine", "duckdb", "--outcome", "optin"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--outcome needs the records in this process");
  });
});
