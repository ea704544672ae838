/** `CIBLE_CLICKHOUSE_MEMORY` and `CIBLE_CLICKHOUSE_BATCH` as `--engine clickhouse` reads them. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/io.js";
import { DEFAULT_BATCH, batchSize, memoryLimit, memorySettings } from "../../src/cli/sql-engine/clickhouse-memory.js";

describe("memoryLimit", () => {
  it("a size in binary units reads as that many bytes, with or without i/B and in any case", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4096 }), fc.constantFrom(["M", 2 ** 20], ["G", 2 ** 30], ["T", 2 ** 40]), fc.constantFrom("", "i", "iB", "B"), fc.boolean(), (n, [unit, bytes], tail, lower) => {
        fc.pre(n * bytes >= 256 * 2 ** 20);
        const text = `${n}${unit}${tail}`;
        expect(memoryLimit({ CIBLE_CLICKHOUSE_MEMORY: lower ? text.toLowerCase() : text })).toBe(n * bytes);
      }),
    );
    expect(memoryLimit({ CIBLE_CLICKHOUSE_MEMORY: "1.5G" })).toBe(1.5 * 2 ** 30);
    expect(memoryLimit({ CIBLE_CLICKHOUSE_MEMORY: String(2 ** 30) })).toBe(2 ** 30);
  });

  it("unset or empty: half of the machine's memory, never below 256 MiB", () => {
    expect(memoryLimit({}, 16 * 2 ** 30)).toBe(8 * 2 ** 30);
    expect(memoryLimit({ CIBLE_CLICKHOUSE_MEMORY: " " }, 16 * 2 ** 30)).toBe(8 * 2 ** 30);
    expect(memoryLimit({}, 2 ** 20)).toBe(256 * 2 ** 20);
  });

  it("anything else is a CliError naming the variable", () => {
    for (const bad of ["lots", "4X", "-1G", "100M", "G", "4 G B"]) {
      expect(() => memoryLimit({ CIBLE_CLICKHOUSE_MEMORY: bad })).toThrow(CliError);
      expect(() => memoryLimit({ CIBLE_CLICKHOUSE_MEMORY: bad })).toThrow(`CIBLE_CLICKHOUSE_MEMORY=${bad}`);
    }
  });

  it("the settings: the cap per query, sorts and GROUP BYs spilled past half of it", () => {
    expect(memorySettings(4 * 2 ** 30)).toEqual(["SET max_memory_usage = 4294967296", "SET max_bytes_before_external_sort = 2147483648", "SET max_bytes_before_external_group_by = 2147483648"]);
  });
});

describe("batchSize", () => {
  it("a whole number ≥ 1 (with `_` between digits) reads as itself; unset is the default", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), (n) => {
      expect(batchSize({ CIBLE_CLICKHOUSE_BATCH: n.toLocaleString("en-US").replace(/,/g, "_") })).toBe(n);
    }));
    expect(batchSize({})).toBe(DEFAULT_BATCH);
    for (const bad of ["0", "-3", "1.5", "1e6", "many", "_1"]) expect(() => batchSize({ CIBLE_CLICKHOUSE_BATCH: bad })).toThrow("CIBLE_CLICKHOUSE_BATCH");
  });
});
