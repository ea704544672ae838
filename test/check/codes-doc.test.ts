import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, it } from "vitest";
import { CHECK_CODES } from "../../src/check/messages.js";
import { SCHEMA_CODES } from "../../src/schema/messages.js";

it("docs/errors.md documents every code of schema/ and check/", () => {
  const doc = readFileSync(resolve(__dirname, "../../docs/errors.md"), "utf8");
  const codes = [...Object.values(SCHEMA_CODES), ...Object.values(CHECK_CODES)];
  expect(codes.filter((c) => !doc.includes(`| \`${c}\` |`))).toEqual([]);
});
