/** The CLI's reading of data and of the clock: `--now` in `--tz`, CSV headers matched to the schema, inferred dates. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readFileSync } from "node:fs";
import { fieldKey, matchColumns } from "../../src/cli/coerce.js";
import type { Shape } from "../../src/cli/shape.js";
import { compile } from "../../src/index.js";
import { cli, scratch } from "./helpers.js";

const tmp = scratch();

describe("--now and --tz: read as the library reads them", () => {
  const schemaJson = {
    type: "object",
    properties: { id: { type: "string" }, vu: { type: "string", format: "date-time" } },
    required: ["id", "vu"],
  };
  const schema = tmp.file("clock.schema.json", JSON.stringify(schemaJson));
  const rulesText = "segment recents:\n  vu within last 7 days\n";
  const rulesFile = tmp.file("clock.cible", rulesText);
  const records = [
    { id: "futur", vu: "2026-03-31T11:00:00Z" },
    { id: "juste", vu: "2026-03-31T09:59:00Z" },
    { id: "bord1", vu: "2026-03-24T10:30:00Z" },
    { id: "bord2", vu: "2026-03-24T11:30:00Z" },
    { id: "bord3", vu: "2026-03-24T12:30:00Z" },
    { id: "veille", vu: "2026-03-30T23:30:00Z" },
    { id: "vieux", vu: "2026-03-20T12:00:00Z" },
  ];
  const data = tmp.file("clock.ndjson", records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const segment = compile("vu within last 7 days", z.fromJSONSchema(schemaJson as never));

  it("a --now without an offset is a wall-clock time in --tz (12:00 in Paris is 10:00Z)", async () => {
    const r = await cli(["eval", rulesFile, data, "--schema", schema, "--now", "2026-03-31T12:00:00", "--tz", "Europe/Paris", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).now).toBe("2026-03-31T10:00:00.000Z");
  });

  it("a date-only --now is the start of that day in --tz", async () => {
    const r = await cli(["eval", rulesFile, data, "--schema", schema, "--now", "2026-03-31", "--tz", "Europe/Paris", "--json"]);
    expect(JSON.parse(r.stdout).now).toBe("2026-03-30T22:00:00.000Z");
    const utc = await cli(["eval", rulesFile, data, "--schema", schema, "--now", "2026-03-31", "--json"]);
    expect(JSON.parse(utc.stdout).now).toBe("2026-03-31T00:00:00.000Z");
  });

  it.each([
    ["2026-03-31T12:00:00", "Europe/Paris"],
    ["2026-03-31", "Europe/Paris"],
    ["2026-03-31T12:00:00+02:00", "Europe/Paris"],
    ["2026-03-31T12:00:00", "America/New_York"],
  ])("`within last 7 days` agrees with compile(...).filter at now %s in %s", async (now, timeZone) => {
    const out = tmp.file(`clock-${now}-${timeZone.replace("/", "-")}.ndjson`, "");
    const r = await cli(["eval", rulesFile, data, "--schema", schema, "--now", now, "--tz", timeZone, "--out", out]);
    expect(r.code).toBe(0);
    const cliIds = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { id: string; segments: string[] }).filter((l) => l.segments.includes("recents")).map((l) => l.id);
    const libIds = segment.filter(records, { now, timeZone }).map((rec) => (rec as { id: string }).id);
    expect(cliIds).toEqual(libIds);
  });

  it("the library leaves out the record an hour after 10:00Z, and so does the CLI", () => {
    const ids = segment.filter(records, { now: "2026-03-31T12:00:00", timeZone: "Europe/Paris" }).map((rec) => (rec as { id: string }).id);
    expect(ids).not.toContain("futur");
    expect(ids).toContain("juste");
  });
});

describe("CSV headers and schema fields", () => {
  it("fieldKey: accents, case, ’, French elisions and punctuation dropped", () => {
    expect(fieldKey("Secteur d'activité")).toBe(fieldKey("secteurActivite"));
    expect(fieldKey("Chiffre d’affaires (€)")).toBe(fieldKey("chiffreAffaires"));
    expect(fieldKey("L'entreprise")).toBe("entreprise");
    expect(fieldKey("Qu'importe-le_nom")).toBe("importelenom");
    expect(fieldKey("N° SIRET")).toBe("nsiret");
    expect(fieldKey("aujourd'hui")).toBe("aujourdhui");
  });

  const fields = new Map<string, Shape>([
    ["secteur", { kind: "string" }],
    ["codePostal", { kind: "string" }],
    ["ville", { kind: "string" }],
  ]);

  it("matchColumns: an exact name wins; keys several share match nothing and are reported", () => {
    const m = matchColumns(["Secteur", "secteur", "Code postal", "code_postal", "VILLE", "Pays"], fields);
    expect(m.columns.map((c) => c.path.join("."))).toEqual(["Secteur", "secteur", "Code postal", "code_postal", "ville", "Pays"]);
    expect(m.missing).toEqual(["codePostal"]);
    expect(m.extra).toEqual(["Secteur", "Code postal", "code_postal", "Pays"]);
    expect(m.collisions).toEqual([{ key: "codepostal", columns: ["Code postal", "code_postal"], fields: ["codePostal"] }]);
  });

  it("matchColumns: an explicit mapping comes first; it must name a column and a field", () => {
    const m = matchColumns(["CP", "secteur"], fields, new Map([["CP", "codePostal"]]));
    expect(m.columns.map((c) => c.path.join("."))).toEqual(["codePostal", "secteur"]);
    expect(m.missing).toEqual(["ville"]);
    expect(() => matchColumns(["CP"], fields, new Map([["Code", "codePostal"]]))).toThrow(/does not have/);
    expect(() => matchColumns(["CP"], fields, new Map([["CP", "zip"]]))).toThrow(/no field zip/);
  });

  const schemaJson = {
    type: "object",
    properties: {
      id: { type: "string" },
      secteurActivite: { type: "string" },
      chiffreAffaires: { anyOf: [{ type: "number" }, { type: "null" }] },
      effectif: { type: "integer" },
    },
    required: ["id", "secteurActivite", "chiffreAffaires", "effectif"],
  };
  const schema = tmp.file("headers.schema.json", JSON.stringify(schemaJson));
  const rules = tmp.file("headers.cible", "segment petites:\n  effectif < 50\n\nsegment sante:\n  secteurActivite = \"santé\"\n");
  const csv = tmp.file(
    "headers.csv",
    "id;Secteur d'activité;Chiffre d’affaires (€);Effectif salarié;Commentaire\n" + "a;santé;12,5;10;\n" + "b;industrie;3;400;gros\n",
  );

  it("French headers match their fields by key (`Secteur d'activité` → secteurActivite)", async () => {
    const out = tmp.file("headers-out.ndjson", "");
    const r = await cli(["eval", rules, csv, "--schema", schema, "--now", "2026-06-01", "--out", out]);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { id: string; segments: string[] });
    expect(lines.filter((l) => l.segments.includes("sante")).map((l) => l.id)).toEqual(["a"]);
  });

  it("warns about a field with no column and columns that match no field; exit 0", async () => {
    const r = await cli(["eval", rules, csv, "--schema", schema, "--now", "2026-06-01", "--json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("headers.csv has no column for the field effectif of the schema");
    expect(r.stderr).toContain('2 columns "Effectif salarié", "Commentaire" match no field');
    expect(r.stderr).not.toContain("chiffreAffaires");
  });

  it("--strict stops with exit 2 on a field with no column, not on extra columns", async () => {
    const r = await cli(["eval", rules, csv, "--schema", schema, "--strict"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no column for the field effectif of the schema (--strict)");
    const mapped = await cli(["eval", rules, csv, "--schema", schema, "--strict", "--map", "Effectif salarié=effectif", "--now", "2026-06-01", "--json"]);
    expect(mapped.code).toBe(0);
    expect(JSON.parse(mapped.stdout).segments.find((s: { name: string }) => s.name === "petites").size).toBe(1);
    expect(mapped.stderr).toContain('the column "Commentaire" matches no field');
  });

  it("--map @file.json; a --map naming a missing column or field is exit 2", async () => {
    const file = tmp.file("columns.json", JSON.stringify({ "Effectif salarié": "effectif" }));
    const r = await cli(["eval", rules, csv, "--schema", schema, "--strict", "--map", `@${file}`, "--now", "2026-06-01"]);
    expect(r.code).toBe(0);
    const typo = await cli(["eval", rules, csv, "--schema", schema, "--map", "Effectifs=effectif"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--map names the column "Effectifs", which the header does not have');
    const noField = await cli(["eval", rules, csv, "--schema", schema, "--map", "Effectif salarié=salaries"]);
    expect(noField.code).toBe(2);
    expect(noField.stderr).toContain("the schema has no field salaries");
    const ndjson = tmp.file("headers.ndjson", '{"id":"a","secteurActivite":"santé","chiffreAffaires":1,"effectif":3}\n');
    expect((await cli(["eval", rules, ndjson, "--schema", schema, "--map", "x=effectif"])).code).toBe(2);
  });

  it("columns that read alike are named, and match nothing", async () => {
    const twin = tmp.file("twin.csv", "id,Secteur d'activité,secteur_activite,chiffreAffaires,effectif\na,santé,santé,1,2\n");
    const r = await cli(["eval", rules, twin, "--schema", schema, "--now", "2026-06-01"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('the columns "Secteur d\'activité", "secteur_activite" and the field secteurActivite read alike: none is matched');
  });

  it("check --schema --data checks the header too; infer --map names the field", async () => {
    const r = await cli(["check", rules, "--schema", schema, "--data", csv]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("no column for the field effectif");
    expect((await cli(["check", rules, "--schema", schema, "--data", csv, "--strict"])).code).toBe(2);
    const inferred = await cli(["infer", csv, "--map", "Effectif salarié=effectif"]);
    expect(inferred.code).toBe(0);
    expect(Object.keys(JSON.parse(inferred.stdout).properties)).toEqual(["id", "Secteur d'activité", "Chiffre d’affaires (€)", "effectif", "Commentaire"]);
  });
});

describe("cible infer: day-first dates", () => {
  const csv = (rows: string[]) => tmp.file(`dates-${Math.random().toString(36).slice(2)}.csv`, `id,date\n${rows.map((r, i) => `c${i + 1},${r}`).join("\n")}\n`);
  const infer = async (file: string) => {
    const r = await cli(["infer", file]);
    expect(r.code).toBe(0);
    return { schema: JSON.parse(r.stdout).properties.date as Record<string, unknown>, stderr: r.stderr };
  };

  it("French dates (03/12/2025, 15/01/2026) are dates, read day first", async () => {
    const { schema } = await infer(csv(["03/12/2025", "15/01/2026", "01/02/2026"]));
    expect(schema).toEqual({ type: "string", format: "date" });
  });

  it("one bad cell keeps a date column, and the cell is named", async () => {
    const rows = ["03/12/2025", "15/01/2026", "bientôt", "20/02/2026", "21/02/2026", "22/02/2026", "23/02/2026", "24/02/2026", "25/02/2026", "26/02/2026"];
    const { schema, stderr } = await infer(csv(rows));
    expect(schema.type).toBe("string");
    expect(schema.format).toBe("date");
    expect(schema.$comment).toBe('1 of 10 cells is not a date (record 3: "bientôt"): rules see it as unknown');
    expect(stderr).toContain('date: date — 1 of 10 cells is not a date (record 3: "bientôt")');
  });

  it("eval with the inferred schema reads the dates day first and lists the bad cell", async () => {
    const rows = ["25/05/2026", "02/01/2026", "jamais", ...Array.from({ length: 9 }, (_, i) => `${10 + i}/03/2026`)];
    const rules = tmp.file("dates.cible", "segment recents:\n  date within last 30 days\n");
    const r = await cli(["eval", rules, csv(rows), "--now", "2026-06-01", "--json"]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.segments[0]).toMatchObject({ name: "recents", size: 1 });
    expect(s.unreadCells).toEqual([{ field: "date", expected: "a date", count: 1, examples: [{ record: 3, value: "jamais" }] }]);
  });

  it("says when no day is above 12 (the dates could be month first)", async () => {
    const { schema } = await infer(csv(["03/12/2025", "01/02/2026", "12/11/2025"]));
    expect(schema.format).toBe("date");
    expect(schema.$comment).toContain("no day in the sample is above 12, so they could be month first");
    const clear = await infer(csv(["03/12/2025", "13/02/2026"]));
    expect(clear.schema.$comment).toBeUndefined();
  });

  it("below 90% of dates, a column is text, and says why", async () => {
    const { schema, stderr } = await infer(csv(["03/12/2025", "15/01/2026", "n/a", "20/02/2026", "?", "22/02/2026", "23/02/2026", "24/02/2026", "25/02/2026", "26/02/2026"]));
    expect(schema.type).toBe("string");
    expect(schema.format).toBeUndefined();
    expect(schema.$comment).toBe('not a date column: 2 of 10 cells are not dates (record 3: "n/a", record 5: "?"); a date column needs 90% of its cells to read as dates');
    expect(stderr).toContain("date: text — not a date column");
  });

  it("month-first dates fall back to text, saying so", async () => {
    const { schema } = await infer(csv(["12/31/2025", "01/15/2026", "02/20/2026"]));
    expect(schema.type).toBe("string");
    expect(schema.$comment).toContain("3 look month first (12/31/2025), and dates are read day first");
  });

  it("a number column with one bad cell is text, and says why", async () => {
    const file = tmp.file("num.csv", "id,effectif\na,12\nb,n/a\nc,40\n");
    const r = await cli(["infer", file]);
    expect(JSON.parse(r.stdout).properties.effectif).toEqual({ type: "string", $comment: 'not a number column: 1 of 3 cells is not a number (record 2: "n/a")' });
  });
});
