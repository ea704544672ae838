import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compileRules, explainText } from "../../src/index.js";
import { rulesToSQL, segmentToSQL } from "../../src/sql.js";
import { ROOT, SMALL_RULES, SMALL_SCHEMA, cli, scratch } from "./helpers.js";

const tmp = scratch();
const schema = tmp.file("schema.json", JSON.stringify(SMALL_SCHEMA));
const rulesFile = tmp.file("rules.cible", SMALL_RULES);
const rules = compileRules(SMALL_RULES, z.fromJSONSchema(SMALL_SCHEMA as never));
const NOW = "2026-06-01T00:00:00Z";
const record = { id: "a1", entreprise: "Dupont", secteur: "santé", effectif: 420, ca: 12.5, technos: ["Slack"], optin: true, dernierAchat: "2026-05-20" };

describe("cible explain", () => {
  it("prints the explain tree of a segment", async () => {
    const r = await cli(["explain", rulesFile, "--segment", "grosses", "--record", JSON.stringify(record), "--schema", schema, "--now", NOW]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("The record is in grosses:");
    expect(r.stdout).toContain(explainText(rules.segments.grosses!.explain(record, { now: new Date(NOW) })));
  });

  it("--json gives the Explanation; @file and - read the record from a file or stdin", async () => {
    const file = tmp.file("record.json", JSON.stringify({ ...record, effectif: 10 }));
    const r = await cli(["explain", rulesFile, "--segment", "grosses", "--record", `@${file}`, "--schema", schema, "--json"]);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: false, text: "effectif >= 250" });
    const s = await cli(["explain", rulesFile, "--segment", "sante", "--record", "-", "--schema", schema, "--json"], { stdin: JSON.stringify(record) });
    expect(JSON.parse(s.stdout).result).toBe(true);
  });

  it("--score shows each rule's points", async () => {
    const r = await cli(["explain", rulesFile, "--score", "fit", "--record", JSON.stringify(record), "--schema", schema, "--json"]);
    expect(JSON.parse(r.stdout)).toEqual(rules.scores.fit!.explain(record, {}));
    const t = await cli(["explain", rulesFile, "--score", "fit", "--record", JSON.stringify(record), "--schema", schema]);
    expect(t.stdout).toContain("fit = 60");
    expect(t.stdout).toMatch(/\+30\s+\+30 if @sante/);
  });

  it("infers a schema from the record without --schema; unknown names and bad JSON are exit 2", async () => {
    const r = await cli(["explain", rulesFile, "--segment", "grosses", "--record", JSON.stringify(record)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("inferred from the record");
    const u = await cli(["explain", rulesFile, "--segment", "grose", "--record", "{}", "--schema", schema]);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("there is no segment grose");
    expect(u.stderr).toContain("sante, grosses, salesforce, recents");
    expect((await cli(["explain", rulesFile, "--segment", "sante", "--record", "{nope", "--schema", schema])).code).toBe(2);
  });
});

describe("cible sql", () => {
  it("prints the condition and its parameters, as cible/sql gives them", async () => {
    const lib = segmentToSQL(rules, "recents", { dialect: "duckdb", table: "contacts", schema: z.fromJSONSchema(SMALL_SCHEMA as never), now: new Date(NOW), timeZone: "UTC" });
    const r = await cli(["sql", rulesFile, "--segment", "recents", "--dialect", "duckdb", "--schema", schema, "--now", NOW, "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ sql: lib.sql, params: lib.params });
    const t = await cli(["sql", rulesFile, "--segment", "sante", "--schema", schema]);
    expect(t.stdout).toContain('"contacts"."secteur" = $1');
    expect(t.stdout).toContain('-- $1 = "santé"');
  });

  it("--table, --column; usage errors are exit 2", async () => {
    const r = await cli(["sql", rulesFile, "--segment", "grosses", "--schema", schema, "--table", "crm.contacts", "--column", "effectif=headcount", "--json"]);
    expect(JSON.parse(r.stdout).sql).toContain('"headcount"');
    expect((await cli(["sql", rulesFile, "--segment", "sante", "--dialect", "oracle", "--schema", schema])).code).toBe(2);
    expect((await cli(["sql", rulesFile, "--segment", "sante"])).stderr).toContain("sql needs --schema");
    expect((await cli(["sql", rulesFile, "--schema", schema])).code).toBe(2);
  });
});

describe("cible sql: channels, reach and every definition", () => {
  const CAMPAIGN = `${SMALL_RULES}\nchannel email:\n  optin\n\nsplit printemps by id:\n  temoin 10%\n  a 90%\n`;
  const file = tmp.file("campaign.cible", CAMPAIGN);
  const compiled = compileRules(CAMPAIGN, z.fromJSONSchema(SMALL_SCHEMA as never));
  const opts = { dialect: "postgres", table: "contacts", schema: z.fromJSONSchema(SMALL_SCHEMA as never), now: new Date(NOW), timeZone: "UTC" } as const;

  it("--segment with --channel gives the reach; --channel alone the channel's condition; --all rulesToSQL", async () => {
    const reach = await cli(["sql", file, "--segment", "grosses", "--channel", "email", "--schema", schema, "--now", NOW, "--json"]);
    expect(reach.code).toBe(0);
    expect(JSON.parse(reach.stdout)).toEqual(segmentToSQL(compiled, "grosses", { ...opts, channel: "email" }));
    const text = await cli(["sql", file, "--segment", "grosses", "--channel", "email", "--schema", schema, "--now", NOW]);
    expect(text.stdout).toContain("-- segment grosses through channel email (postgres)");
    const own = await cli(["sql", file, "--channel", "email", "--schema", schema, "--json"]);
    expect(JSON.parse(own.stdout).sql).toBe('"contacts"."optin"');
    const all = await cli(["sql", file, "--all", "--key", "id", "--schema", schema, "--now", NOW, "--json"]);
    expect(JSON.parse(all.stdout)).toEqual(rulesToSQL(compiled, { ...opts, key: "id" }));
  });

  it("a wrong name or combination is exit 2", async () => {
    const u = await cli(["sql", file, "--segment", "grosses", "--channel", "sms", "--schema", schema]);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("there is no channel sms");
    expect(u.stderr).toContain("the channels: email");
    expect((await cli(["sql", file, "--score", "fit", "--channel", "email", "--schema", schema])).code).toBe(2);
    expect((await cli(["sql", file, "--all", "--segment", "sante", "--schema", schema])).code).toBe(2);
  });
});

describe("cible infer", () => {
  it("prints an editable JSON Schema that --schema takes back", async () => {
    const data = tmp.file("c.csv", "id,code_postal,effectif,ca,client,vu,outils\nA1,01000,12,\"1,5\",oui,2026-01-02,a|b\nA2,75011,250,,non,,\n");
    const r = await cli(["infer", data]);
    expect(r.code).toBe(0);
    const js = JSON.parse(r.stdout);
    expect(js.properties).toMatchObject({
      id: { type: "string" },
      code_postal: { type: "string" },
      effectif: { type: "integer" },
      client: { type: "boolean" },
      vu: { anyOf: [{ type: "string", format: "date" }, { type: "null" }] },
      outils: { type: "array", items: { type: "string" } },
    });
    const schemaFile = tmp.file("inferred.json", r.stdout);
    const seg = tmp.file("seg.cible", "segment a:\n  effectif >= 100 and vu is not set\n");
    const e = await cli(["eval", seg, data, "--schema", schemaFile, "--out", "-"]);
    expect(e.stdout.trim().split("\n").map((l) => JSON.parse(l).segments)).toEqual([[], ["a"]]);
  });
});

describe("the cible command as a process", () => {
  it("runs src/cli.ts with its shebang entry: exit codes and a TypeScript schema through tsx", () => {
    const run = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "src/cli.ts"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 });
    expect(readFileSync(join(ROOT, "src/cli.ts"), "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    const ok = run(["check", "examples/b2b-france.cible", "--schema", "examples/schema.ts"]);
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    const bad = run(["check", join(tmp.dir, "missing.cible")]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("no such file");
  }, 60_000);
});
