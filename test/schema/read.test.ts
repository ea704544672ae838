import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CibleError } from "../../src/errors/cible-error.js";
import type { Field, FieldType, ObjectType } from "../../src/schema/model.js";
import { readSchema } from "../../src/schema/read.js";

function field(schema: unknown, ...path: string[]): Field {
  let obj: ObjectType = readSchema(schema).root;
  let f: Field | undefined;
  for (const [i, name] of path.entries()) {
    f = obj.fields.get(name);
    if (!f) throw new Error(`no field ${name}`);
    if (i < path.length - 1) {
      const t = f.type.kind === "array" ? f.type.element : f.type;
      if (t.kind !== "object") throw new Error(`${name} is not an object`);
      obj = t;
    }
  }
  return f as Field;
}

function typeOf(fieldSchema: unknown): FieldType {
  return field(z.object({ f: fieldSchema as z.ZodType }), "f").type;
}

function flags(fieldSchema: unknown): { nullable: boolean; optional: boolean } {
  const f = field(z.object({ f: fieldSchema as z.ZodType }), "f");
  return { nullable: f.nullable, optional: f.optional };
}

function thrown(schema: unknown): { code: string; message: string; hint?: string } {
  try {
    readSchema(schema);
  } catch (e) {
    expect(e).toBeInstanceOf(CibleError);
    const d = (e as CibleError).diagnostics[0]!;
    return { code: d.code, message: d.message, ...(d.hint ? { hint: d.hint } : {}) };
  }
  throw new Error("readSchema did not throw");
}

describe("readSchema: scalars", () => {
  it("reads strings, numbers, booleans", () => {
    expect(typeOf(z.string())).toEqual({ kind: "string" });
    expect(typeOf(z.email())).toEqual({ kind: "string" });
    expect(typeOf(z.string().min(2).max(10))).toEqual({ kind: "string" });
    expect(typeOf(z.number())).toEqual({ kind: "number", integer: false });
    expect(typeOf(z.number().min(0))).toEqual({ kind: "number", integer: false });
    expect(typeOf(z.boolean())).toEqual({ kind: "boolean" });
  });

  it("marks integers: .int(), z.int(), z.int32()", () => {
    expect(typeOf(z.number().int())).toEqual({ kind: "number", integer: true });
    expect(typeOf(z.number().int().positive())).toEqual({ kind: "number", integer: true });
    expect(typeOf(z.int())).toEqual({ kind: "number", integer: true });
    expect(typeOf(z.int32())).toEqual({ kind: "number", integer: true });
  });

  it("reads dates: z.date, z.coerce.date, ISO strings", () => {
    expect(typeOf(z.date())).toEqual({ kind: "date", source: "date" });
    expect(typeOf(z.coerce.date())).toEqual({ kind: "date", source: "date" });
    expect(typeOf(z.iso.datetime())).toEqual({ kind: "date", source: "datetime-string" });
    expect(typeOf(z.iso.datetime({ offset: true }))).toEqual({ kind: "date", source: "datetime-string" });
    expect(typeOf(z.string().datetime())).toEqual({ kind: "date", source: "datetime-string" });
    expect(typeOf(z.iso.date())).toEqual({ kind: "date", source: "date-string" });
    expect(typeOf(z.iso.time())).toEqual({ kind: "string" });
  });
});

describe("readSchema: enums", () => {
  it("reads z.enum with NFC-normalised values, in declared order", () => {
    const decomposed = "sante\u0301";
    expect(typeOf(z.enum([decomposed, "finance"]))).toEqual({ kind: "enum", values: ["santé", "finance"], ordered: false });
  });

  it("reads unions of string literals and multi-value literals as enums", () => {
    expect(typeOf(z.union([z.literal("a"), z.literal("b")]))).toEqual({ kind: "enum", values: ["a", "b"], ordered: false });
    expect(typeOf(z.literal(["x", "y"]))).toEqual({ kind: "enum", values: ["x", "y"], ordered: false });
    expect(typeOf(z.literal("only"))).toEqual({ kind: "enum", values: ["only"], ordered: false });
    expect(typeOf(z.union([z.enum(["a", "b"]), z.literal("c")]))).toEqual({ kind: "enum", values: ["a", "b", "c"], ordered: false });
  });

  it("reads `.meta({ ordered: true })` from zod's registry, on the enum or on a wrapper", () => {
    const grades = ["F", "D", "C", "B", "A"];
    expect(typeOf(z.enum(grades).meta({ ordered: true }))).toEqual({ kind: "enum", values: grades, ordered: true });
    expect(typeOf(z.enum(grades).meta({ ordered: true }).nullable())).toMatchObject({ ordered: true });
    expect(typeOf(z.enum(grades).optional().meta({ ordered: true }))).toMatchObject({ ordered: true });
    expect(typeOf(z.enum(grades).meta({ ordered: true }).describe("grade"))).toMatchObject({ ordered: true });
    expect(typeOf(z.enum(grades).meta({ ordered: false }))).toMatchObject({ ordered: false });
    expect(typeOf(z.enum(grades).meta({ description: "no order" }))).toMatchObject({ ordered: false });
  });

  // INSEE headcount bands ("tranche d'effectif"), in their order: zod keeps "11", "12", "21"… as
  // object keys, which come back first, in numeric order.
  const INSEE = ["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"];

  it("marks a z.enum whose order zod lost (values like \"11\"), in zod's order; ordered: true is ignored", () => {
    expect(z.enum(INSEE).options.slice(0, 3)).toEqual(["11", "12", "21"]); // the trap, as zod 4 has it
    const lost = typeOf(z.enum(INSEE));
    expect(lost).toMatchObject({ kind: "enum", ordered: false, orderLost: "unordered" });
    expect((lost as { values: readonly string[] } & typeof lost).values).toEqual(z.enum(INSEE).options);
    expect(typeOf(z.enum(INSEE).meta({ ordered: true }))).toMatchObject({ ordered: false, orderLost: "declared-ordered" });
    expect(typeOf(z.enum(INSEE).optional().meta({ ordered: true }))).toMatchObject({ ordered: false, orderLost: "declared-ordered" });
    expect(typeOf(z.enum(["0", "1", "2"]).meta({ ordered: true }))).toMatchObject({ orderLost: "declared-ordered" });
    expect(typeOf(z.union([z.enum(["b", "7"]), z.literal("c")]))).toMatchObject({ orderLost: "unordered" });
  });

  it("keeps the order of enums zod does not reorder: \"00\"/\"01\", one value, literals", () => {
    expect(typeOf(z.enum(["NN", "00", "01", "-1", "1.5", "4294967295"]).meta({ ordered: true }))).toEqual({
      kind: "enum",
      values: ["NN", "00", "01", "-1", "1.5", "4294967295"],
      ordered: true,
    });
    expect(typeOf(z.enum(["11"]))).toEqual({ kind: "enum", values: ["11"], ordered: false });
    expect(typeOf(z.literal(["NN", "00", "11"]).meta({ ordered: true }))).toEqual({ kind: "enum", values: ["NN", "00", "11"], ordered: true });
    expect(typeOf(z.union([z.literal("NN"), z.literal("11")]))).toEqual({ kind: "enum", values: ["NN", "11"], ordered: false });
  });

  it("reads the order of `.meta({ ordered: [...] })`, on the enum or on a wrapper", () => {
    expect(typeOf(z.enum(INSEE).meta({ ordered: INSEE }))).toEqual({ kind: "enum", values: INSEE, ordered: true });
    expect(typeOf(z.enum(INSEE).nullable().meta({ ordered: INSEE }))).toEqual({ kind: "enum", values: INSEE, ordered: true });
    expect(typeOf(z.array(z.enum(INSEE).meta({ ordered: INSEE })))).toMatchObject({ element: { values: INSEE, ordered: true } });
    expect(typeOf(z.enum(["b", "a"]).meta({ ordered: ["a", "b"] }))).toEqual({ kind: "enum", values: ["a", "b"], ordered: true });
    expect(typeOf(z.enum(["sante\u0301", "x"]).meta({ ordered: ["x", "sante\u0301"] }))).toEqual({ kind: "enum", values: ["x", "santé"], ordered: true });
  });

  it("schema.enum-order: an order that does not list exactly the enum's values", () => {
    const bad = (meta: unknown, inner: z.ZodType = z.enum(["NN", "00", "11"])) =>
      thrown(z.object({ account: z.object({ tranche: inner.meta({ ordered: meta } as never) }) }));
    for (const order of [["NN", "00"], ["NN", "00", "11", "21"], ["NN", "00", "11", "00"], ["NN", "00", 11], []]) {
      const err = bad(order);
      expect(err.code).toBe("schema.enum-order");
      expect(err.message).toContain("`account.tranche`");
      expect(err.hint).toEqual(expect.any(String));
    }
    expect(bad(["a"], z.string()).code).toBe("schema.enum-order");
  });

  it("turns number and boolean literals into their scalar type", () => {
    expect(typeOf(z.literal([1, 2, 3]))).toEqual({ kind: "number", integer: false });
    expect(typeOf(z.literal(true))).toEqual({ kind: "boolean" });
  });
});

describe("readSchema: wrappers", () => {
  it("records nullable and optional, through every wrapper", () => {
    expect(flags(z.string())).toEqual({ nullable: false, optional: false });
    expect(flags(z.string().nullable())).toEqual({ nullable: true, optional: false });
    expect(flags(z.string().optional())).toEqual({ nullable: false, optional: true });
    expect(flags(z.string().nullish())).toEqual({ nullable: true, optional: true });
    expect(flags(z.union([z.string(), z.null()]))).toEqual({ nullable: true, optional: false });
    expect(flags(z.union([z.null(), z.number(), z.undefined()]))).toEqual({ nullable: true, optional: true });
    expect(flags(z.string().nullable().default("x").readonly())).toEqual({ nullable: true, optional: false });
  });

  it("sees through default, prefault, catch, readonly and pipe", () => {
    expect(typeOf(z.number().default(3))).toEqual({ kind: "number", integer: false });
    expect(typeOf(z.number().prefault(3))).toEqual({ kind: "number", integer: false });
    expect(typeOf(z.number().int().catch(0))).toEqual({ kind: "number", integer: true });
    expect(typeOf(z.array(z.string()).readonly())).toEqual({ kind: "array", element: { kind: "string" }, elementNullable: false });
    expect(typeOf(z.string().pipe(z.coerce.number()))).toEqual({ kind: "number", integer: false });
    expect(typeOf(z.iso.datetime().pipe(z.coerce.date()))).toEqual({ kind: "date", source: "date" });
    expect(typeOf(z.stringbool())).toEqual({ kind: "boolean" });
    expect(typeOf(z.lazy(() => z.string()))).toEqual({ kind: "string" });
  });
});

describe("readSchema: objects and arrays", () => {
  const Account = z.object({
    hq: z.object({ country: z.string(), city: z.string().nullable() }),
    tech: z.array(z.string()),
    codes: z.array(z.number().nullable()),
    tags: z.array(z.enum(["vip", "new"])).optional(),
    purchases: z.array(z.object({ amount: z.number(), date: z.date() })),
  });

  it("reads nested objects as ObjectType with a Map of fields", () => {
    const hq = field(Account, "hq");
    expect(hq.type.kind).toBe("object");
    const fields = (hq.type as ObjectType).fields;
    expect(fields).toBeInstanceOf(Map);
    expect([...fields.keys()]).toEqual(["country", "city"]);
    expect(field(Account, "hq", "city")).toEqual({ name: "city", type: { kind: "string" }, nullable: true, optional: false });
  });

  it("reads arrays of scalars, enums, nullable elements and objects", () => {
    expect(field(Account, "tech").type).toEqual({ kind: "array", element: { kind: "string" }, elementNullable: false });
    expect(field(Account, "codes").type).toEqual({ kind: "array", element: { kind: "number", integer: false }, elementNullable: true });
    expect(field(Account, "tags")).toMatchObject({ optional: true, type: { kind: "array", element: { kind: "enum", values: ["vip", "new"] } } });
    expect(field(Account, "purchases", "amount").type).toEqual({ kind: "number", integer: false });
    expect(field(Account, "purchases", "date").type).toEqual({ kind: "date", source: "date" });
  });

  it("keeps declared order and only own, declared names", () => {
    const model = readSchema(z.object({ b: z.string(), a: z.number() }));
    expect([...model.root.fields.keys()]).toEqual(["b", "a"]);
    expect(model.root.fields.get("__proto__")).toBeUndefined();
    expect(model.root.fields.get("constructor")).toBeUndefined();
    expect(model.root.fields.get("toString")).toBeUndefined();
  });

  it("accepts a field named __proto__ as a plain name", () => {
    const shape: Record<string, z.ZodType> = {};
    Object.defineProperty(shape, "__proto__", { value: z.string(), enumerable: true, configurable: true, writable: true });
    const model = readSchema(z.object(shape));
    expect(model.root.fields.get("__proto__")?.type).toEqual({ kind: "string" });
  });

  it("NFC-normalises field names", () => {
    const model = readSchema(z.object({ ["cre\u0301ation"]: z.date() }));
    expect([...model.root.fields.keys()]).toEqual(["création"]);
  });

  it("accepts strict and loose objects, and a wrapped root", () => {
    expect(readSchema(z.strictObject({ a: z.string() })).root.fields.size).toBe(1);
    expect(readSchema(z.looseObject({ a: z.string() })).root.fields.size).toBe(1);
    expect(readSchema(z.object({ a: z.string() }).readonly()).root.fields.size).toBe(1);
  });

  it("caches the model per schema object", () => {
    expect(readSchema(Account)).toBe(readSchema(Account));
    expect(readSchema(Account.extend({}))).not.toBe(readSchema(Account));
  });
});

describe("readSchema: z.fromJSONSchema", () => {
  const Json = z.fromJSONSchema({
    type: "object",
    properties: {
      lastPurchase: { anyOf: [{ type: "string", format: "date-time" }, { type: "null" }] },
      renewal: { oneOf: [{ type: "string", format: "date-time" }, { type: "null" }] },
      createdOn: { type: "string", format: "date" },
      city: { type: ["string", "null"] },
      employees: { type: "integer" },
      revenue: { type: ["number", "null"] },
      sector: { type: "string", enum: ["santé", "finance"] },
      grade: { type: "string", enum: ["C", "B", "A"], ordered: true },
      band: { type: ["string", "null"], enum: ["small", "large", null] },
      active: { type: "boolean" },
      hq: { type: "object", properties: { country: { type: "string" } }, required: ["country"] },
      tech: { type: "array", items: { type: "string" } },
      purchases: { type: "array", items: { type: "object", properties: { amount: { type: "number" } }, required: ["amount"] } },
    },
    required: ["employees", "sector", "hq"],
  });

  it("reads a union of a date-time string and null as a nullable date", () => {
    expect(field(Json, "lastPurchase")).toEqual({
      name: "lastPurchase",
      type: { kind: "date", source: "datetime-string" },
      nullable: true,
      optional: true,
    });
    expect(field(Json, "renewal")).toMatchObject({ type: { kind: "date" }, nullable: true });
    expect(field(Json, "createdOn")).toMatchObject({ type: { kind: "date", source: "date-string" }, optional: true });
  });

  it("reads type arrays with null, integers, enums and ordered enums", () => {
    expect(field(Json, "city")).toMatchObject({ type: { kind: "string" }, nullable: true, optional: true });
    expect(field(Json, "employees")).toEqual({ name: "employees", type: { kind: "number", integer: true }, nullable: false, optional: false });
    expect(field(Json, "revenue")).toMatchObject({ type: { kind: "number" }, nullable: true });
    expect(field(Json, "sector").type).toEqual({ kind: "enum", values: ["santé", "finance"], ordered: false });
    expect(field(Json, "grade").type).toEqual({ kind: "enum", values: ["C", "B", "A"], ordered: true });
    expect(field(Json, "band")).toMatchObject({ type: { kind: "enum", values: ["small", "large"] }, nullable: true });
    expect(field(Json, "active").type).toEqual({ kind: "boolean" });
  });

  it("reads nested objects and arrays", () => {
    expect(field(Json, "hq", "country")).toMatchObject({ type: { kind: "string" }, optional: false });
    expect(field(Json, "tech").type).toEqual({ kind: "array", element: { kind: "string" }, elementNullable: false });
    expect(field(Json, "purchases", "amount").type).toEqual({ kind: "number", integer: false });
  });
});

describe("readSchema: what it refuses", () => {
  it("refuses a root that is not an object schema", () => {
    expect(thrown(z.string())).toMatchObject({ code: "schema.not-object", hint: expect.any(String) });
    expect(thrown(z.array(z.object({})))).toMatchObject({ code: "schema.not-object" });
    expect(thrown({ sector: "santé" })).toMatchObject({ code: "schema.not-object" });
    expect(thrown(null)).toMatchObject({ code: "schema.not-object" });
    expect(thrown(42)).toMatchObject({ code: "schema.not-object" });
  });

  it.each([
    ["record", z.record(z.string(), z.number())],
    ["map", z.map(z.string(), z.number())],
    ["set", z.set(z.string())],
    ["tuple", z.tuple([z.string(), z.number()])],
    ["bigint", z.bigint()],
    ["any", z.any()],
    ["unknown", z.unknown()],
    ["union", z.union([z.string(), z.number()])],
    ["intersection", z.intersection(z.object({ a: z.string() }), z.object({ b: z.string() }))],
    ["pipe", z.string().transform((s) => s.length)],
    ["array", z.array(z.array(z.string()))],
    ["nan", z.nan()],
    ["enum", z.enum({ A: 0, B: 1 })],
  ])("refuses %s, naming the field path and the zod type, with a hint", (zodType, schema) => {
    const err = thrown(z.object({ account: z.object({ odd: schema as z.ZodType }) }));
    expect(err.code).toBe("schema.unsupported");
    expect(err.message).toContain("`account.odd");
    expect(err.message).toContain(`\`${zodType}\``);
    expect(err.hint).toEqual(expect.any(String));
  });

  it("names array elements with []", () => {
    expect(thrown(z.object({ rows: z.array(z.object({ m: z.map(z.string(), z.string()) })) })).message).toContain("`rows[].m`");
  });

  it("refuses recursive schemas instead of looping", () => {
    const Node = z.object({
      name: z.string(),
      get children() {
        return z.array(Node);
      },
    });
    expect(thrown(Node)).toMatchObject({ code: "schema.unsupported" });
  });
});

describe("field descriptions (for editors)", () => {
  it("keeps .describe() and .meta({ description }), on the field or a wrapper; absent when none", () => {
    const m = readSchema(
      z.object({
        a: z.string().describe("inner").nullable(),
        b: z.number().meta({ description: "meta" }),
        c: z.string().nullable().describe("outer"),
        d: z.string(),
      }),
    );
    const f = (n: string) => m.root.fields.get(n)!;
    expect(f("a").description).toBe("inner");
    expect(f("b").description).toBe("meta");
    expect(f("c").description).toBe("outer");
    expect("description" in f("d")).toBe(false);
  });
});
