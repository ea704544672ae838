import { expect } from "vitest";
import { parseExpression, parseRules, type ParseOptions } from "../../src/syntax/index.js";
import type { Diagnostic } from "../../src/errors/diagnostic.js";
import type { ExprNode, RulesDocument } from "../../src/ast/nodes.js";

const SPAN_KEYS = new Set(["span", "pathSpan", "nameSpan"]);

/** A deep copy without spans, for comparing AST shapes. */
export function strip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (k, v) => (SPAN_KEYS.has(k) ? undefined : v))) as T;
}

/** The body of a valid expression, without spans (fails the test on any diagnostic). */
export function body(source: string, options?: ParseOptions): ExprNode {
  const r = parseExpression(source, options);
  expect(r.diagnostics, source).toEqual([]);
  return strip(r.doc!.body);
}

/** The document of a valid rules file, without spans. */
export function rules(source: string): RulesDocument {
  const r = parseRules(source);
  expect(r.diagnostics, source).toEqual([]);
  return strip(r.doc!);
}

/** The diagnostics of an invalid expression (fails when the parse succeeds). */
export function errors(source: string, options?: ParseOptions): Diagnostic[] {
  const r = parseExpression(source, options);
  expect(r.doc, source).toBeUndefined();
  expect(r.diagnostics.length, source).toBeGreaterThan(0);
  return r.diagnostics;
}

/** The diagnostics of an invalid rules file. */
export function rulesErrors(source: string, options?: ParseOptions): Diagnostic[] {
  const r = parseRules(source, options);
  expect(r.doc, source).toBeUndefined();
  expect(r.diagnostics.length, source).toBeGreaterThan(0);
  return r.diagnostics;
}

/** `code@line:column+offset` of each diagnostic, for compact assertions. */
export function where(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => `${d.code}@${d.span.start.line}:${d.span.start.column}`);
}

/** Small node builders (shapes without spans). */
export const f = (...path: string[]) => ({ kind: "field", path });
export const str = (value: string) => ({ kind: "string", value });
export const num = (value: number) => ({ kind: "number", value });
export const bool = (value: boolean) => ({ kind: "boolean", value });
export const dur = (amount: number, unit: string) => ({ kind: "duration", amount, unit });
export const truthy = (subject: unknown) => ({ kind: "truthy", subject });
export const cmp = (left: unknown, op: string, right: unknown) => ({ kind: "compare", op, left, right });
