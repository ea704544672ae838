import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, resolveLimits } from "../../src/ast/limits.js";
import type { ExprNode, ExpressionDocument } from "../../src/ast/nodes.js";
import { printExpression } from "../../src/ast/printer.js";
import { validateExpressionDocument } from "../../src/ast/validate.js";
import { WHOLE } from "../../src/errors/diagnostic.js";
import { expressionDocumentArbitrary } from "../support/ast-arbitrary.js";
import {
  agg,
  ago,
  and,
  between,
  bool,
  cmp,
  date,
  doc,
  dur,
  field,
  fromNow,
  has,
  inList,
  isEmpty,
  isSet,
  list,
  not,
  num,
  or,
  param,
  quant,
  ref,
  span,
  str,
  t,
  text,
  truthy,
  within,
} from "./build.js";

const validate = (json: unknown, limits = DEFAULT_LIMITS) => validateExpressionDocument(json, limits);
/** Round-trips through JSON, as stored ASTs do. */
const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const codes = (r: { diagnostics: { code: string }[] }) => r.diagnostics.map((d) => d.code);
/** A document around a raw (possibly malformed) body. */
const raw = (body: unknown): unknown => ({ kind: "expression", version: 1, body, comments: [] });
const F = { kind: "field", path: ["a"] };

const EVERY_KIND: ExprNode[] = [
  and(cmp(field("sector"), "=", str("santé")), cmp(field("d"), "<", dur(6, "month")), has(field("tech"), str("X"))),
  or(and(t("a"), t("b")), not(or(t("c"), t("d")))),
  cmp(field("d"), "<", date("2024-01-01"), "before"),
  cmp(field("d"), ">", ago(6, "month"), "after"),
  cmp(field("d"), "<=", fromNow(60, "day")),
  cmp(ref("lead"), ">=", param("min")),
  cmp(agg("sum", ["purchases", "amount"], cmp(field("date"), "<", dur(12, "month"))), ">", num(-3.5)),
  cmp(agg("count", ["purchases"]), "!=", num(0)),
  between(field("n"), num(1), num(2), true),
  inList(field("role"), list(str("CEO"), num(1), bool(true), date("2024-01-15T09:30:00Z"))),
  inList(field("role"), param("roles"), true),
  has(field("tech"), list(str("a")), "any"),
  has(field("tech"), param("p"), "none"),
  text("startsWith", field("n"), str("x"), true),
  text("foldEquals", field("n"), param("p")),
  isSet(field("x"), true),
  isEmpty(field("x")),
  truthy(ref("seg")),
  truthy(param("flag")),
  quant("all", field("p"), or(t("a"), t("b"))),
  within("next", field("d"), dur(1, "week")),
];

describe("validateExpressionDocument accepts well-formed ASTs", () => {
  it.each(EVERY_KIND.map((n) => [printExpression(doc(n)), n] as const))("%s", (_, body) => {
    const input = json(doc(body));
    const r = validate(input);
    expect(r.diagnostics).toEqual([]);
    expect(r.doc).toEqual(doc(body));
    expect(r.doc).not.toBe(input);
    expect(r.doc!.body).not.toBe((input as ExpressionDocument).body);
  });

  it("fills missing spans with a zero span at 1:1 and keeps given ones", () => {
    const s = span(3, 7);
    const r = validate({ kind: "expression", version: 1, body: { kind: "truthy", subject: { kind: "field", path: ["a"], span: s } } });
    expect(r.diagnostics).toEqual([]);
    expect(r.doc!.body.span).toEqual(WHOLE);
    expect(r.doc!.comments).toEqual([]);
    const subject = (r.doc!.body as { subject: { span: unknown } }).subject;
    expect(subject.span).toEqual(s);
    expect(subject.span).not.toBe(s);
    expect(validate(raw({ kind: "aggregate", fn: "count", path: ["p"] })).diagnostics.map((d) => d.code)).toEqual(["ast.unexpected-kind"]);
    const agg1 = validate(raw({ kind: "compare", op: ">", left: { kind: "aggregate", fn: "count", path: ["p"] }, right: { kind: "number", value: 1 } }));
    expect((agg1.doc!.body as unknown as { left: { pathSpan: unknown } }).left.pathSpan).toEqual(WHOLE);
  });

  it("NFC-normalises names and strings in the copy, never touching the input", () => {
    const input = raw({ kind: "compare", op: "=", left: { kind: "field", path: ["cafe\u0301"] }, right: { kind: "string", value: "sante\u0301" } });
    const r = validate(input);
    expect(r.diagnostics).toEqual([]);
    expect(r.doc!.body).toMatchObject({ left: { path: ["café"] }, right: { value: "santé" } });
    expect((input as { body: { right: { value: string } } }).body.right.value).toBe("sante\u0301");
    const p = validate(raw({ kind: "truthy", subject: { kind: "param", name: "e\u0301" } }));
    expect(p.doc!.body).toMatchObject({ subject: { name: "é" } });
  });

  it("reads -0 as 0, as the parser does", () => {
    const r = validate(raw({ kind: "compare", op: "=", left: F, right: { kind: "number", value: -0 } }));
    expect(Object.is((r.doc!.body as unknown as { right: { value: number } }).right.value, 0)).toBe(true);
  });

  it("keeps comments and checks them", () => {
    const r = validate({ ...doc(t("a")), comments: [{ text: " hi", span: span(2, 6) }, { text: "x" }] });
    expect(r.diagnostics).toEqual([]);
    expect(r.doc!.comments).toEqual([{ text: " hi", span: span(2, 6) }, { text: "x", span: WHOLE }]);
    expect(codes(validate({ ...doc(t("a")), comments: [{ text: 1 }] }))).toEqual(["ast.wrong-type"]);
    expect(codes(validate({ ...doc(t("a")), comments: [{ text: "a\nb" }] }))).toEqual(["ast.invalid-value"]);
    expect(codes(validate({ ...doc(t("a")), comments: "x" }))).toEqual(["ast.wrong-type"]);
    expect(codes(validate({ ...doc(t("a")), comments: [{ text: "a", at: 1 }] }))).toEqual(["ast.unknown-property"]);
  });
});

describe("validateExpressionDocument rejects malformed shapes", () => {
  const cases: [string, unknown, string, string][] = [
    ["null document", null, "ast.not-object", "(root)"],
    ["array document", [], "ast.not-object", "(root)"],
    ["no version", { kind: "expression", body: { kind: "truthy", subject: F } }, "ast.version", "version"],
    ["version 2", { kind: "expression", version: 2, body: { kind: "truthy", subject: F } }, "ast.version", "version"],
    ["version as text", { kind: "expression", version: "1", body: { kind: "truthy", subject: F } }, "ast.version", "version"],
    ["rules document", { kind: "rules", version: 1, definitions: [] }, "ast.unknown-kind", "kind"],
    ["document without kind", { version: 1, body: { kind: "truthy", subject: F } }, "ast.missing-kind", "kind"],
    ["no body", { kind: "expression", version: 1 }, "ast.missing-property", "body"],
    ["extra document property", { ...(raw({ kind: "truthy", subject: F }) as object), extra: 1 }, "ast.unknown-property", "extra"],
    ["body not an object", raw("a = 1"), "ast.not-object", "body"],
    ["node without kind", raw({ subject: F }), "ast.missing-kind", "body"],
    ["unknown kind", raw({ kind: "xor", operands: [] }), "ast.unknown-kind", "body"],
    ["kind not a string", raw({ kind: 3 }), "ast.unknown-kind", "body"],
    ["value where an expression goes", raw(F), "ast.unexpected-kind", "body"],
    ["expression where a value goes", raw({ kind: "compare", op: "=", left: { kind: "truthy", subject: F }, right: { kind: "number", value: 1 } }), "ast.unexpected-kind", "body.left"],
    ["field in a list", raw({ kind: "in", negated: false, subject: F, list: { kind: "list", items: [{ kind: "string", value: "x" }, F] } }), "ast.unexpected-kind", "body.list.items[1]"],
    ["string as an in list", raw({ kind: "in", negated: false, subject: F, list: { kind: "string", value: "x" } }), "ast.unexpected-kind", "body.list"],
    ["has any of a string", raw({ kind: "has", mode: "any", subject: F, value: { kind: "string", value: "x" } }), "ast.unexpected-kind", "body.value"],
    ["truthy of a string", raw({ kind: "truthy", subject: { kind: "string", value: "x" } }), "ast.unexpected-kind", "body.subject"],
    ["quantifier over a ref", raw({ kind: "quantifier", quantifier: "any", collection: { kind: "ref", name: "x" }, where: { kind: "truthy", subject: F } }), "ast.unexpected-kind", "body.collection"],
    ["within a number", raw({ kind: "within", direction: "last", subject: F, duration: { kind: "number", value: 3 } }), "ast.unexpected-kind", "body.duration"],
    ["missing right", raw({ kind: "compare", op: "=", left: F }), "ast.missing-property", "body.right"],
    ["missing negated", raw({ kind: "isSet", subject: F }), "ast.missing-property", "body.negated"],
    ["negated as text", raw({ kind: "isSet", negated: "yes", subject: F }), "ast.wrong-type", "body.negated"],
    ["number as text", raw({ kind: "compare", op: "=", left: F, right: { kind: "number", value: "1" } }), "ast.wrong-type", "body.right.value"],
    ["path as text", raw({ kind: "truthy", subject: { kind: "field", path: "a.b" } }), "ast.wrong-type", "body.subject.path"],
    ["path item not text", raw({ kind: "truthy", subject: { kind: "field", path: ["a", 2] } }), "ast.wrong-type", "body.subject.path[1]"],
    ["empty path", raw({ kind: "truthy", subject: { kind: "field", path: [] } }), "ast.invalid-value", "body.subject.path"],
    ["empty name", raw({ kind: "truthy", subject: { kind: "field", path: ["a", ""] } }), "ast.invalid-value", "body.subject.path[1]"],
    ["name with a line break", raw({ kind: "truthy", subject: { kind: "ref", name: "a\nb" } }), "ast.invalid-value", "body.subject.name"],
    ["param name not an identifier", raw({ kind: "truthy", subject: { kind: "param", name: "a b" } }), "ast.invalid-value", "body.subject.name"],
    ["date-time with a lowercase t", raw({ kind: "compare", op: "<", left: F, right: { kind: "date", text: "2024-01-15t10:00:00Z", dateOnly: false } }), "ast.invalid-date", "body.right.text"],
    ["unknown op", raw({ kind: "compare", op: "==", left: F, right: F }), "ast.invalid-value", "body.op"],
    ["alias against op", raw({ kind: "compare", op: "<", alias: "after", left: F, right: F }), "ast.invalid-value", "body.alias"],
    ["alias with a bare duration", raw({ kind: "compare", op: ">", alias: "after", left: F, right: { kind: "duration", amount: 6, unit: "month" } }), "ast.invalid-value", "body.alias"],
    ["unknown alias", raw({ kind: "compare", op: "<", alias: "until", left: F, right: F }), "ast.invalid-value", "body.alias"],
    ["unknown mode", raw({ kind: "has", mode: "some", subject: F, value: F }), "ast.invalid-value", "body.mode"],
    ["unknown text op", raw({ kind: "text", op: "matches", negated: false, subject: F, value: F }), "ast.invalid-value", "body.op"],
    ["unknown unit", raw({ kind: "within", direction: "last", subject: F, duration: { kind: "duration", amount: 3, unit: "months" } }), "ast.invalid-value", "body.duration.unit"],
    ["fractional amount", raw({ kind: "within", direction: "last", subject: F, duration: { kind: "duration", amount: 1.5, unit: "day" } }), "ast.invalid-value", "body.duration.amount"],
    ["negative amount", raw({ kind: "within", direction: "last", subject: F, duration: { kind: "duration", amount: -1, unit: "day" } }), "ast.invalid-value", "body.duration.amount"],
    ["unknown direction", raw({ kind: "compare", op: "<", left: F, right: { kind: "instant", direction: "later", duration: { kind: "duration", amount: 1, unit: "day" } } }), "ast.invalid-value", "body.right.direction"],
    ["NaN", raw({ kind: "compare", op: "<", left: F, right: { kind: "number", value: Number.NaN } }), "ast.invalid-value", "body.right.value"],
    ["Infinity", raw({ kind: "compare", op: "<", left: F, right: { kind: "number", value: Number.POSITIVE_INFINITY } }), "ast.invalid-value", "body.right.value"],
    ["one operand", raw({ kind: "and", operands: [{ kind: "truthy", subject: F }] }), "ast.invalid-value", "body.operands"],
    ["operands not an array", raw({ kind: "or", operands: {} }), "ast.wrong-type", "body.operands"],
    ["unknown aggregate fn", raw({ kind: "compare", op: ">", left: { kind: "aggregate", fn: "median", path: ["p"] }, right: F }), "ast.invalid-value", "body.left.fn"],
    ["impossible day", raw({ kind: "compare", op: "<", left: F, right: { kind: "date", text: "2023-02-29", dateOnly: true } }), "ast.invalid-date", "body.right.text"],
    ["date marked as date-time", raw({ kind: "compare", op: "<", left: F, right: { kind: "date", text: "2024-02-29", dateOnly: false } }), "ast.invalid-date", "body.right.text"],
    ["date-time marked as date", raw({ kind: "compare", op: "<", left: F, right: { kind: "date", text: "2024-02-29T10:00:00Z", dateOnly: true } }), "ast.invalid-date", "body.right.text"],
    ["hour 25", raw({ kind: "compare", op: "<", left: F, right: { kind: "date", text: "2024-01-15T25:00Z", dateOnly: false } }), "ast.invalid-date", "body.right.text"],
    ["not a date", raw({ kind: "compare", op: "<", left: F, right: { kind: "date", text: "tomorrow", dateOnly: true } }), "ast.invalid-date", "body.right.text"],
    ["bad span", raw({ kind: "truthy", subject: F, span: { start: { offset: 0, line: 0, column: 1 }, end: { offset: 0, line: 1, column: 1 } } }), "ast.invalid-span", "body.span"],
    ["span going backwards", raw({ kind: "truthy", subject: F, span: { start: { offset: 5, line: 1, column: 6 }, end: { offset: 1, line: 1, column: 2 } } }), "ast.invalid-span", "body.span"],
    ["typo in an optional property", raw({ kind: "compare", op: ">", left: { kind: "aggregate", fn: "count", path: ["p"], wher: { kind: "truthy", subject: F } }, right: { kind: "number", value: 1 } }), "ast.unknown-property", "body.left.wher"],
  ];

  it.each(cases)("%s", (_, input, code, path) => {
    const r = validate(input);
    expect(r.doc).toBeUndefined();
    expect(codes(r)).toContain(code);
    const d = r.diagnostics.find((x) => x.code === code)!;
    expect(d.severity).toBe("error");
    expect(d.message).toContain(`(at ${path})`);
    expect(d.hint).toBeTruthy();
    expect(d.span).toEqual(expect.objectContaining({ start: expect.any(Object), end: expect.any(Object) }));
  });

  it("names the JSON path of a deep problem, with the nearest span", () => {
    const s = span(4, 9);
    const r = validate(raw({ kind: "and", operands: [{ kind: "truthy", subject: F }, { kind: "compare", op: "=", left: F, right: { kind: "number" }, span: s }] }));
    expect(codes(r)).toEqual(["ast.missing-property"]);
    expect(r.diagnostics[0]!.message).toContain("(at body.operands[1].right.value)");
    expect(r.diagnostics[0]!.span).toEqual(s);
  });

  it("reports several problems at once, not only the first", () => {
    const r = validate(raw({ kind: "and", operands: [{ kind: "isSet", subject: F }, { kind: "compare", op: "~", left: F, right: F }] }));
    expect(codes(r).sort()).toEqual(["ast.invalid-value", "ast.missing-property"]);
  });

  it("stops at 100 findings", () => {
    const operands = Array.from({ length: 500 }, () => ({ kind: "isSet", subject: F }));
    expect(validate(raw({ kind: "and", operands })).diagnostics.length).toBe(100);
  });
});

describe("limits", () => {
  it("refuses nesting deeper than maxDepth, without recursion, even a million levels deep", () => {
    let body: unknown = { kind: "truthy", subject: F };
    for (let i = 0; i < 1_000_000; i++) body = { kind: "not", operand: body };
    const r = validate(raw(body));
    expect(codes(r)).toEqual(["limit.depth"]);
    expect(r.diagnostics[0]!.message).toContain("body.operand.operand");
  });

  it("refuses a deep JSON text as parsed by JSON.parse", () => {
    const depth = 100_000;
    const text = `{"kind":"expression","version":1,"body":${'{"kind":"not","operand":'.repeat(depth)}{"kind":"truthy","subject":{"kind":"field","path":["a"]}}${"}".repeat(depth)}}`;
    expect(codes(validate(JSON.parse(text)))).toEqual(["limit.depth"]);
  });

  it("counts nesting like the parser counts parentheses: and inside or costs nothing", () => {
    const limits = resolveLimits({ maxDepth: 2 });
    // a and b or c: no parentheses, nesting 0; (a or b) and c: 1; not (a or b): 2
    expect(validate(json(doc(or(and(t("a"), t("b")), t("c")))), limits).diagnostics).toEqual([]);
    expect(validate(json(doc(not(or(t("a"), t("b"))))), limits).diagnostics).toEqual([]);
    expect(codes(validate(json(doc(not(not(or(t("a"), t("b")))))), limits))).toEqual(["limit.depth"]);
    expect(codes(validate(json(doc(cmp(agg("count", ["p"], cmp(agg("count", ["q"], t("a")), ">", num(1))), ">", num(1)))), resolveLimits({ maxDepth: 1 })))).toEqual(["limit.depth"]);
  });

  it("accepts nesting at the limit", () => {
    let body: ExprNode = t("a");
    for (let i = 0; i < DEFAULT_LIMITS.maxDepth; i++) body = not(body);
    expect(validate(json(doc(body))).diagnostics).toEqual([]);
    expect(codes(validate(json(doc(not(body)))))).toEqual(["limit.depth"]);
  });

  it("refuses cyclic objects without hanging", () => {
    const node: { kind: string; operand?: unknown } = { kind: "not" };
    node.operand = node;
    expect(codes(validate(raw(node)))).toEqual(["limit.depth"]);
    const chain: { kind: string; operands: unknown[] } = { kind: "or", operands: [] };
    chain.operands.push(chain, chain);
    expect(codes(validate(raw(chain)))).toContain("limit.depth");
  });

  it("refuses more nodes than maxNodes, before visiting them", () => {
    const operands = Array.from({ length: 30_000 }, () => ({ kind: "truthy", subject: F }));
    expect(codes(validate(raw({ kind: "or", operands })))).toEqual(["limit.nodes"]);
    expect(codes(validate(raw({ kind: "or", operands: operands.slice(0, 100) }), resolveLimits({ maxNodes: 200 })))).toEqual(["limit.nodes"]);
    expect(validate(raw({ kind: "or", operands: operands.slice(0, 99) }), resolveLimits({ maxNodes: 199 })).diagnostics).toEqual([]);
  });

  it("refuses lists longer than maxListLength", () => {
    const items = Array.from({ length: 11 }, (_, i) => ({ kind: "number", value: i }));
    const body = { kind: "in", negated: false, subject: F, list: { kind: "list", items } };
    expect(codes(validate(raw(body), resolveLimits({ maxListLength: 10 })))).toEqual(["limit.list-length"]);
    expect(validate(raw(body), resolveLimits({ maxListLength: 11 })).diagnostics).toEqual([]);
  });
});

describe("untrusted objects", () => {
  it("ignores inherited properties: an inherited kind is no kind", () => {
    const sneaky = Object.create({ kind: "truthy", subject: F }) as object;
    expect(codes(validate(raw(sneaky)))).toEqual(["ast.missing-kind"]);
    const inheritedSubject = Object.assign(Object.create({ subject: F }) as object, { kind: "truthy" });
    expect(codes(validate(raw(inheritedSubject)))).toEqual(["ast.missing-property"]);
  });

  it("treats __proto__ from JSON.parse as an unknown property, and pollutes nothing", () => {
    const input = JSON.parse('{"kind":"expression","version":1,"body":{"kind":"truthy","subject":{"kind":"field","path":["a"],"__proto__":{"polluted":true}}}}');
    const r = validate(input);
    expect(codes(r)).toEqual(["ast.unknown-property"]);
    expect(r.diagnostics[0]!.message).toContain("body.subject.__proto__");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const noKind = JSON.parse('{"kind":"expression","version":1,"body":{"__proto__":{"kind":"truthy","subject":{"kind":"field","path":["a"]}}}}');
    expect(codes(validate(noKind))).toEqual(["ast.missing-kind"]);
    const protoDoc = JSON.parse('{"__proto__":{"kind":"expression","version":1}}');
    expect(codes(validate(protoDoc))).toEqual(["ast.version"]);
  });

  it("returns plain copies whose prototype is Object.prototype", () => {
    const input = JSON.parse('{"kind":"expression","version":1,"body":{"kind":"truthy","subject":{"kind":"field","path":["constructor"]}}}');
    const r = validate(input);
    expect(r.diagnostics).toEqual([]);
    expect(Object.getPrototypeOf(r.doc!.body)).toBe(Object.prototype);
    expect(r.doc!.body).toEqual({ kind: "truthy", subject: { kind: "field", path: ["constructor"], span: WHOLE }, span: WHOLE });
  });

  it("does not run getters, and reports an input whose reading throws", () => {
    let called = false;
    const withGetter = {
      kind: "truthy",
      get subject() {
        called = true;
        return F;
      },
    };
    expect(codes(validate(raw(withGetter)))).toEqual(["ast.wrong-type"]);
    expect(called).toBe(false);
    const hostile = new Proxy({}, { getOwnPropertyDescriptor: () => { throw new Error("boom"); } });
    expect(codes(validate(raw(hostile)))).toEqual(["ast.unreadable"]);
  });

  it("refuses sparse arrays", () => {
    // eslint-disable-next-line no-sparse-arrays
    const operands = [{ kind: "truthy", subject: F }, , { kind: "truthy", subject: F }];
    expect(codes(validate(raw({ kind: "and", operands })))).toEqual(["ast.not-object"]);
  });
});

describe("property: every well-formed random AST is accepted and copied exactly", () => {
  it("validate(json(ast)).doc equals ast", () => {
    fc.assert(
      fc.property(expressionDocumentArbitrary(), (d) => {
        const r = validate(json(d));
        expect(r.diagnostics).toEqual([]);
        expect(r.doc).toEqual(d);
      }),
      { numRuns: 300 },
    );
  });
});
