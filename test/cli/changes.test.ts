/**
 * `cible eval --since old.ndjson --changes changes.ndjson`: one line per record whose segments,
 * reachability, stage or tier changed (records matched by --id; new records enter, gone ones
 * exit; the old stages are previous stages), and nextChange on the lines of --out (--next-change).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cli, scratch } from "./helpers.js";

const tmp = scratch();
const schema = tmp.file(
  "schema.json",
  JSON.stringify({
    type: "object",
    properties: {
      ref: { type: "string" },
      optin: { type: "boolean" },
      dernierAchat: { anyOf: [{ type: "string", format: "date-time" }, { type: "null" }] },
      achats: { type: "integer" },
    },
  }),
);
const rules = tmp.file(
  "rules.cible",
  [
    "segment recents:\n  dernierAchat within last 30 days",
    "segment fideles:\n  achats >= 2",
    "channel email:\n  optin",
    "lifecycle parcours:\n  prospect\n  client if achats >= 1\n  actif if dernierAchat within last 30 days",
    "tiers valeur by achats:\n  haute if >= 3\n  basse otherwise",
  ].join("\n\n"),
);
const DAY1 = "2026-06-01T00:00:00Z";
const DAY2 = "2026-06-21T00:00:00Z";
const ndjson = (rows: object[]) => `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;
const read = (path: string) => readFileSync(path, "utf8").trimEnd().split("\n").filter(Boolean).map((l) => JSON.parse(l));

describe("cible eval --since --changes", () => {
  it("entered, exited, reachability, stages and tiers; new records enter, gone records exit; --out carries nextChange with --next-change", async () => {
    const day1 = tmp.file(
      "day1.ndjson",
      ndjson([
        { ref: "a", optin: true, dernierAchat: "2026-05-25T00:00:00Z", achats: 2 }, // recents until 24 June
        { ref: "b", optin: false, dernierAchat: null, achats: 0 },
        { ref: "gone", optin: true, dernierAchat: null, achats: 3 },
      ]),
    );
    const out1 = `${tmp.dir}/out1.ndjson`;
    const r1 = await cli(["eval", rules, day1, "--schema", schema, "--now", DAY1, "--id", "ref", "--out", out1, "--next-change", "--changes", `${tmp.dir}/first.ndjson`]);
    expect(r1.code, r1.stderr).toBe(0);
    const o1 = read(out1);
    expect(o1.map((l) => [l.id, l.nextChange])).toEqual([
      ["a", "2026-06-24T00:00:00.001Z"],
      ["b", null],
      ["gone", null],
    ]);
    // No --since: every record is new and enters what it is in (b: a stage and a tier, no segment).
    expect(read(`${tmp.dir}/first.ndjson`).map((l) => [l.id, l.entered, l.stages.parcours.to])).toEqual([
      ["a", ["recents", "fideles"], "actif"],
      ["b", [], "prospect"],
      ["gone", ["fideles"], "client"],
    ]);
    expect(r1.stdout).toContain("Wrote 3 change lines");

    // Twenty days later: a has passed 30 days? not yet (24 June); b bought and opted in; gone is gone; c is new.
    const day2 = tmp.file(
      "day2.ndjson",
      ndjson([
        { ref: "a", optin: true, dernierAchat: "2026-05-25T00:00:00Z", achats: 2 },
        { ref: "b", optin: true, dernierAchat: "2026-06-20T00:00:00Z", achats: 1 },
        { ref: "c", optin: false, dernierAchat: null, achats: 5 },
      ]),
    );
    const changes = `${tmp.dir}/changes.ndjson`;
    const out2 = `${tmp.dir}/out2.ndjson`;
    const r2 = await cli(["eval", rules, day2, "--schema", schema, "--now", DAY2, "--id", "ref", "--since", out1, "--changes", changes, "--out", out2]);
    expect(r2.code, r2.stderr).toBe(0);
    const at = "2026-06-21T00:00:00.000Z";
    expect(read(changes)).toEqual([
      { id: "b", at, entered: ["recents"], exited: [], reachable: { email: { entered: ["recents"], exited: [] } }, stages: { parcours: { from: "prospect", to: "actif" } }, tiers: {} },
      { id: "c", at, entered: ["fideles"], exited: [], reachable: {}, stages: { parcours: { from: null, to: "client" } }, tiers: { valeur: { from: null, to: "haute" } } },
      { id: "gone", at, entered: [], exited: ["fideles"], reachable: { email: { entered: [], exited: ["fideles"] } }, stages: { parcours: { from: "client", to: null } }, tiers: { valeur: { from: "haute", to: null } } },
    ]);

    // Five days later: a leaves recents; its stage stays "actif" (the old file's stage is its previous stage).
    const changes3 = `${tmp.dir}/changes3.ndjson`;
    const r3 = await cli(["eval", rules, day2, "--schema", schema, "--now", "2026-06-26T00:00:00Z", "--id", "ref", "--since", out2, "--changes", changes3]);
    expect(r3.code, r3.stderr).toBe(0);
    expect(read(changes3)).toEqual([
      { id: "a", at: "2026-06-26T00:00:00.000Z", entered: [], exited: ["recents"], reachable: { email: { entered: [], exited: ["recents"] } }, stages: {}, tiers: {} },
    ]);
  });

  it("refused with another engine, with two outputs on standard output, and for a file that is not --out's", async () => {
    const data = tmp.file("d.ndjson", ndjson([{ ref: "a", optin: true, dernierAchat: null, achats: 0 }]));
    const eng = await cli(["eval", rules, data, "--schema", schema, "--since", data, "--engine", "duckdb"]);
    expect(eng.code).toBe(2);
    expect(eng.stderr).toContain("--engine js only");
    const two = await cli(["eval", rules, data, "--schema", schema, "--changes", "-", "--out", "-"]);
    expect(two.code).toBe(2);
    const bad = tmp.file("bad.ndjson", '{"id":"a","segments":[]}\n[1]\n');
    const r = await cli(["eval", rules, data, "--schema", schema, "--since", bad, "--changes", `${tmp.dir}/x.ndjson`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad.ndjson:2: not a JSON object");
  });
});
