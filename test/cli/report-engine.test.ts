/**
 * `cible report --engine duckdb|clickhouse`: the report computed from the engine's rows has the
 * in-process report's numbers — sizes, overlaps, records in no segment, reach, split arms, scores,
 * lifecycle funnels, tiers, RFM, the records each segment leaves unknown, the warnings — and says
 * what it leaves out (data quality's fields, the cuts, `--outcome`) in text, JSON and HTML.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ENGINE_RULES, HEADER, NOW, row } from "./engine-data.js";
import { SMALL_SCHEMA, cli, scratch } from "./helpers.js";

// The engine tests' rules and records (engine-data.ts), with two more segments for overlaps.
const tmp = scratch();
const rulesFile = tmp.file(
  "rules.cible",
  `${ENGINE_RULES}
segment salesforceSante:
  @salesforce and @sante

segment tresGrosses:
  effectif >= 1000
`,
);
const schema = tmp.file("schema.json", JSON.stringify(SMALL_SCHEMA));
const data = tmp.file("contacts.csv", `${HEADER}\n${Array.from({ length: 150 }, (_, i) => row(i + 1).csv).join("\n")}\n`);

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
