/**
 * docs/cli.md's INSEE workflow: a JSON Schema whose `enum` holds headcount bands ("NN", "00",
 * "11", "21"…) and `"ordered": true`. zod alone would give "11", "12", "21"… back first; the CLI
 * reads the array itself and keeps its order.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { zodFromJsonSchema } from "../../src/cli/schema.js";
import { check } from "../../src/index.js";
import { readSchema } from "../../src/schema/index.js";
import { cli, scratch } from "./helpers.js";

const INSEE = ["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"];
const SCHEMA = {
  type: "object",
  properties: {
    id: { type: "string" },
    tranche: { type: "string", enum: INSEE, ordered: true },
    bandes: { type: "array", items: { type: "string", enum: INSEE, ordered: true } },
    code: { type: "string", enum: INSEE },
  },
  required: ["id", "tranche"],
};
const RULES = 'segment grandes:\n  tranche >= "21"\n\nsegment petites:\n  tranche < "11"\n';

const tmp = scratch();
const schemaFile = tmp.file("schema.json", JSON.stringify(SCHEMA));
const rulesFile = tmp.file("rules.cible", RULES);
// One account per band, the bands in a scrambled order.
const rows = INSEE.map((_, i) => INSEE[(i * 5) % INSEE.length]!);
const data = tmp.file("comptes.csv", `id,tranche\n${rows.map((t, i) => `c${i},${t}`).join("\n")}\n`);

describe("JSON Schema enums keep their order", () => {
  it('zodFromJsonSchema: "ordered": true beside an enum array keeps the array\'s order; so does an unordered enum', () => {
    const model = readSchema(zodFromJsonSchema(SCHEMA));
    expect(model.root.fields.get("tranche")!.type).toEqual({ kind: "enum", values: INSEE, ordered: true });
    expect(model.root.fields.get("bandes")!.type).toMatchObject({ element: { kind: "enum", values: INSEE, ordered: true } });
    expect(model.root.fields.get("code")!.type).toEqual({ kind: "enum", values: INSEE, ordered: false });
    // An explicit list is passed on as it is.
    const listed = zodFromJsonSchema({ type: "object", properties: { t: { enum: ["11", "00"], ordered: ["00", "11"] } } });
    expect(readSchema(listed).root.fields.get("t")!.type).toEqual({ kind: "enum", values: ["00", "11"], ordered: true });
    // The input is left as it was.
    expect(SCHEMA.properties.tranche).toEqual({ type: "string", enum: INSEE, ordered: true });
  });

  it("hints list the values in declared order; ordering an unordered band asks for ordered, not a list", () => {
    const zod = zodFromJsonSchema(SCHEMA);
    const unknown = check('code = "99"', zod).diagnostics;
    expect(unknown.map((d) => d.code)).toEqual(["enum.unknown-value"]);
    expect(unknown[0]!.hint).toContain('"NN", "00", "01", "02", "03", "11", "12", "21"');
    expect(check('code >= "21"', zod).diagnostics.map((d) => d.code)).toEqual(["enum.not-ordered"]);
  });

  it('cible eval: tranche >= "21" selects exactly the bands from "21" up', async () => {
    const out = `${tmp.dir}/out.ndjson`;
    const r = await cli(["eval", rulesFile, data, "--schema", schemaFile, "--out", out]);
    // The only message: the CSV has no column for the schema's other two fields (bandes, code).
    expect(r.stderr).not.toMatch(/enum\.|error/);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as { segments: string[] });
    const at = (band: string) => INSEE.indexOf(band);
    expect(lines.map((l) => l.segments)).toEqual(rows.map((t) => (at(t) >= at("21") ? ["grandes"] : at(t) < at("11") ? ["petites"] : [])));
  });

  it("cible check: fine with the JSON Schema; the same enum through zod alone is refused", async () => {
    const r = await cli(["check", rulesFile, "--schema", schemaFile, "--json"]);
    expect(r.code).toBe(0);
    const zodOnly = tmp.file("zod-only.mjs", `import { z } from "zod";\nexport default z.object({ id: z.string(), tranche: z.enum(${JSON.stringify(INSEE)}) });\n`);
    const refused = await cli(["check", rulesFile, "--schema", zodOnly, "--json"]);
    expect(refused.code).toBe(1);
    const report = JSON.parse(refused.stdout) as { files: { diagnostics: { code: string; span: { start: { line: number } } }[] }[] };
    expect(report.files[0]!.diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([
      ["enum.order-lost", 2],
      ["enum.order-lost", 5],
    ]);
  });
});
