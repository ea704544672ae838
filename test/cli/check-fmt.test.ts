import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { format } from "../../src/index.js";
import { EXAMPLE_RULES, EXAMPLE_SCHEMA_TS, ROOT, SMALL_RULES, SMALL_SCHEMA, cli, scratch } from "./helpers.js";

const tmp = scratch();
const schema = tmp.file("schema.json", JSON.stringify(SMALL_SCHEMA));
const good = tmp.file("good.cible", format(SMALL_RULES));
const bad = tmp.file("bad.cible", 'segment a:\n  secter = "santé"\n\nsegment b:\n  @zz and effectif > 1\n');

describe("cible check", () => {
  it("passes a correct file: exit 0 and what it defines", async () => {
    const r = await cli(["check", good, "--schema", schema]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("4 segments, 1 score, 1 lifecycle, 2 tiers");
  });

  it("counts channels and splits among the definitions", async () => {
    const campaign = tmp.file("campaign.cible", 'channel email:\n  optin\n\nsplit test by id:\n  a 50%\n  b 50%\n\nsplit holdout by id seed "q2":\n  dehors 10%\n  dedans 90%\n\nsegment sante:\n  secteur = "santé" and @test = "a"\n');
    const r = await cli(["check", campaign, "--schema", schema]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("campaign.cible: 1 segment, 1 channel, 2 splits\n");
  });

  it("prints each error with file:line:column, the line, a caret and the hint; exit 1", async () => {
    const r = await cli(["check", "bad.cible", "--schema", "schema.json"], { cwd: tmp.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("error field.unknown at bad.cible:2:3:");
    expect(r.stdout).toContain('  2 |   secter = "santé"');
    expect(r.stdout).toMatch(/\n\s+\|\s{3}\^{6}\n/);
    expect(r.stdout).toContain("hint: did you mean `secteur`?");
    expect(r.stdout).toContain("error ref.unknown at bad.cible:5:3:");
    expect(r.stdout).toContain("✗ bad.cible: 2 errors");
  });

  it("--json gives the diagnostics for machines", async () => {
    const r = await cli(["check", good, bad, "--schema", schema, "--json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.files.map((f: { ok: boolean }) => f.ok)).toEqual([true, false]);
    const d = out.files[1].diagnostics[0];
    expect(d).toMatchObject({ code: "field.unknown", severity: "error", span: { start: { line: 2, column: 3 } }, hint: "did you mean `secteur`?" });
  });

  it("checks the example rules against the TypeScript schema module", async () => {
    const r = await cli(["check", EXAMPLE_RULES, "--schema", EXAMPLE_SCHEMA_TS]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("10 segments, 2 scores, 1 lifecycle, 2 tiers, 1 RFM model, 2 channels, 1 split\n");
  });

  it("checks the syntax only without a schema, and says so", async () => {
    expect((await cli(["check", bad])).code).toBe(0);
    const broken = tmp.file("broken.cible", "segment a:\n  effectif >= \n");
    const r = await cli(["check", broken]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error syntax\.[a-z-]+ at .*broken\.cible:2:/);
    expect((await cli(["check", good])).stdout).toContain("syntax only");
  });

  it("--max-warnings turns warnings into a failure", async () => {
    const warn = tmp.file("warn.cible", 'segment a:\n  not (technos has "X")\n');
    const nullable = tmp.file("nullable.json", JSON.stringify({ type: "object", properties: { technos: { anyOf: [{ type: "array", items: { type: "string" } }, { type: "null" }] } } }));
    expect((await cli(["check", warn, "--schema", nullable])).code).toBe(0);
    expect((await cli(["check", warn, "--schema", nullable, "--max-warnings", "0"])).code).toBe(1);
  });

  it("exit 2 with a message for a missing file or schema", async () => {
    const r = await cli(["check", "nope.cible", "--schema", schema]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cible: cannot read nope.cible: no such file");
    const s = await cli(["check", good, "--schema", "nope.json"]);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain("cannot read the schema nope.json");
  });
});

describe("cible fmt", () => {
  const messy = "# en-tête\nsegment a:\n    secteur = \"santé\"   AND (effectif>=50)   # commentaire\n\nsegment   b:\n  effectif < 10\n";

  it("prints the canonical text with comments kept", async () => {
    const f = tmp.file("messy.cible", messy);
    const r = await cli(["fmt", f]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(format(messy).endsWith("\n") ? format(messy) : `${format(messy)}\n`);
    expect(r.stdout).toContain("# commentaire");
    expect(r.stdout).toContain('secteur = "santé" and effectif >= 50');
  });

  it("--check lists unformatted files with exit 1, --write fixes them, then --check passes", async () => {
    const f = tmp.file("fix.cible", messy);
    const before = await cli(["fmt", "--check", f, good]);
    expect(before.code).toBe(1);
    expect(before.stdout.trim()).toBe(f);
    expect(before.stderr).toContain("1 file is not formatted");
    const w = await cli(["fmt", "--write", f]);
    expect(w.code).toBe(0);
    expect(readFileSync(f, "utf8")).toContain("# commentaire");
    expect((await cli(["fmt", "--check", f, good])).code).toBe(0);
  });

  it("exit 2 on a syntax error, with the diagnostic", async () => {
    const f = tmp.file("syntax.cible", "segment a:\n  effectif >=\n");
    const r = await cli(["fmt", "--check", f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error syntax\./);
  });
});

describe("help and usage", () => {
  it.each(["check", "fmt", "eval", "report", "explain", "sql", "infer", "lsp"])("cible %s --help: exit 0 with usage and an example", async (sub) => {
    const r = await cli([sub, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: cible ${sub}`);
    expect(r.stdout).toContain("Example");
  });

  it("the files help examples name exist, and the example check runs; the docs are named as the repository's", async () => {
    for (const sub of [[], ...["check", "fmt", "eval", "report", "explain", "sql", "infer", "lsp"].map((s) => [s])]) {
      const help = (await cli([...sub, "--help"])).stdout;
      for (const [path] of help.matchAll(/examples\/\S+/g)) expect(existsSync(join(ROOT, path)), `${path} in cible ${sub.join(" ")} --help`).toBe(true);
    }
    const example = /\$ cible (check examples\/.*)/.exec((await cli(["check", "--help"])).stdout)![1]!.split(" ");
    expect((await cli(example)).code).toBe(0);
    const top = (await cli(["--help"])).stdout;
    expect(top).toContain("Docs: docs/cli.md in the cible repository");
    expect(top).not.toMatch(/Docs: docs\/cli\.md\n/);
  });

  it("an unknown command or option is exit 2 with a suggestion", async () => {
    const r = await cli(["chek"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Did you mean check?");
    expect((await cli(["check", "--nope", "x.cible"])).code).toBe(2);
  });

  it("--version", async () => {
    const r = await cli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("cible check --data", () => {
  it("infers the schema from a data file and checks against it", async () => {
    const data = tmp.file("data.csv", "id,entreprise,secteur,effectif,ca,technos,optin,dernierAchat\na,A,santé,10,1,x|y,true,2026-01-01\n");
    const r = await cli(["check", good, "--data", data]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("no --schema: inferred from 1 record of");
    const typo = tmp.file("typo.cible", "segment a:\n  efectif > 1\n");
    const t = await cli(["check", typo, "--data", data]);
    expect(t.code).toBe(1);
    expect(t.stdout).toContain("did you mean `effectif`?");
  });
});
