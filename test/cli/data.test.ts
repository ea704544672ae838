/** The CLI's reading of data and of the clock: `--now` in `--tz`, CSV headers matched to the schema, inferred dates. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readFileSync } from "node:fs";
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
