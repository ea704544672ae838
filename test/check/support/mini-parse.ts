/**
 * A small parser for the expression language, for the checker's tests only, used while the real
 * `parseExpression` (src/syntax) is not there yet. It builds nodes.ts ASTs with exact spans; it
 * does no error recovery (it throws) and knows nothing of limits or comments.
 */
import type {
  AggregateFn,
  AggregateNode,
  CompareOp,
  DurationNode,
  DurationUnit,
  ExprNode,
  FieldNode,
  ListNode,
  LiteralNode,
  ValueNode,
} from "../../../src/ast/nodes.js";
import { type Span, positionAt } from "../../../src/errors/diagnostic.js";

type Tok =
  | { t: "id"; v: string; raw: boolean; s: number; e: number }
  | { t: "str"; v: string; s: number; e: number }
  | { t: "num"; v: number; s: number; e: number }
  | { t: "date"; v: string; s: number; e: number }
  | { t: "op"; v: string; s: number; e: number }
  | { t: "eof"; v: ""; s: number; e: number };

const UNITS: Record<string, DurationUnit> = {
  minute: "minute", minutes: "minute", hour: "hour", hours: "hour", day: "day", days: "day",
  week: "week", weeks: "week", month: "month", months: "month", year: "year", years: "year",
};

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === "#") { while (i < src.length && src[i] !== "\n") i++; continue; }
    const rest = src.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?/.exec(rest))) {
      out.push({ t: "date", v: m[0], s: i, e: i + m[0].length }); i += m[0].length; continue;
    }
    if ((m = /^-?\d[\d_]*(\.\d+)?(k|M)?(?![\p{L}\d_])/u.exec(rest))) {
      let v = Number(m[0].replace(/_/g, "").replace(/[kM]$/, ""));
      if (m[2] === "k") v *= 1e3;
      if (m[2] === "M") v *= 1e6;
      out.push({ t: "num", v, s: i, e: i + m[0].length }); i += m[0].length; continue;
    }
    if (c === '"') {
      let j = i + 1; let v = "";
      while (j < src.length && src[j] !== '"') {
        if (src[j] === "\\") { const n = src[j + 1]; v += n === "n" ? "\n" : n === "t" ? "\t" : n; j += 2; } else v += src[j++];
      }
      out.push({ t: "str", v: v.normalize("NFC"), s: i, e: j + 1 }); i = j + 1; continue;
    }
    if (c === "`") {
      const j = src.indexOf("`", i + 1);
      out.push({ t: "id", v: src.slice(i + 1, j).normalize("NFC"), raw: true, s: i, e: j + 1 }); i = j + 1; continue;
    }
    if ((m = /^[\p{L}_][\p{L}\p{M}\p{N}_]*/u.exec(rest))) {
      out.push({ t: "id", v: m[0].normalize("NFC"), raw: false, s: i, e: i + m[0].length }); i += m[0].length; continue;
    }
    if ((m = /^(!=|<=|>=|~=|=|<|>|\(|\)|\[|\]|,|\.|\$|@)/.exec(rest))) {
      out.push({ t: "op", v: m[0], s: i, e: i + m[0].length }); i += m[0].length; continue;
    }
    throw new Error(`mini-parse: unexpected ${JSON.stringify(c)} at ${i}`);
  }
  out.push({ t: "eof", v: "", s: src.length, e: src.length });
  return out;
}

export function miniParse(src: string): ExprNode {
  const toks = lex(src);
  let p = 0;
  const span = (s: number, e: number): Span => ({ start: positionAt(src, s), end: positionAt(src, e) });
  const peek = (k = 0): Tok => toks[Math.min(p + k, toks.length - 1)]!;
  const kw = (word: string, k = 0): boolean => { const t = peek(k); return t.t === "id" && !t.raw && t.v.toLowerCase() === word; };
  const isOp = (v: string, k = 0): boolean => { const t = peek(k); return t.t === "op" && t.v === v; };
  const next = (): Tok => toks[p++]!;
  const expectOp = (v: string): Tok => { if (!isOp(v)) throw new Error(`mini-parse: expected ${v} at ${peek().s}`); return next(); };
  const expectKw = (v: string): Tok => { if (!kw(v)) throw new Error(`mini-parse: expected ${v} at ${peek().s}`); return next(); };
  const startOf = (n: { span: Span }) => n.span.start.offset;
  const endOf = (n: { span: Span }) => n.span.end.offset;

  function or(): ExprNode {
    const first = and();
    const ops = [first];
    while (kw("or")) { next(); ops.push(and()); }
    return ops.length === 1 ? first : { kind: "or", operands: ops, span: span(startOf(first), endOf(ops[ops.length - 1]!)) };
  }
  function and(): ExprNode {
    const first = not();
    const ops = [first];
    while (kw("and")) { next(); ops.push(not()); }
    return ops.length === 1 ? first : { kind: "and", operands: ops, span: span(startOf(first), endOf(ops[ops.length - 1]!)) };
  }
  function not(): ExprNode {
    if (kw("not")) { const t = next(); const operand = not(); return { kind: "not", operand, span: span(t.s, endOf(operand)) }; }
    return predicate();
  }
  function path(): { path: string[]; s: number; e: number } {
    const first = next();
    if (first.t !== "id") throw new Error(`mini-parse: expected a name at ${first.s}`);
    const parts = [first.v];
    let e = first.e;
    while (isOp(".")) { next(); const t = next(); if (t.t !== "id") throw new Error("mini-parse: name after ."); parts.push(t.v); e = t.e; }
    return { path: parts, s: first.s, e };
  }
  function predicate(): ExprNode {
    if (isOp("(")) {
      const open = next(); const e = or(); const close = expectOp(")");
      void open; void close;
      return e;
    }
    if ((kw("any") || kw("all") || kw("none")) && peek(1).t === "id" && !kw("where", 1)) {
      const q = next();
      const pth = path();
      const collection: FieldNode = { kind: "field", path: pth.path, span: span(pth.s, pth.e) };
      expectKw("where");
      const where = isOp("(") ? (next(), (() => { const w = or(); expectOp(")"); return w; })()) : or();
      const end = toks[p - 1]!.e;
      return { kind: "quantifier", quantifier: String(q.v).toLowerCase() as "any", collection, where, span: span(q.s, end) };
    }
    const subject = operand();
    return tail(subject);
  }
  function tail(subject: ValueNode): ExprNode {
    const s = startOf(subject);
    const t = peek();
    const end = () => toks[p - 1]!.e;
    if (t.t === "op" && ["=", "!=", "<", "<=", ">", ">="].includes(t.v)) {
      next(); const right = operand();
      return { kind: "compare", op: t.v as CompareOp, left: subject, right, span: span(s, endOf(right)) };
    }
    if (kw("before") || kw("after")) {
      const w = String(next().v).toLowerCase() as "before" | "after"; const right = operand();
      return { kind: "compare", op: w === "before" ? "<" : ">", alias: w, left: subject, right, span: span(s, endOf(right)) };
    }
    let negated = false;
    if (kw("not")) { next(); negated = true; }
    if (kw("between")) {
      next(); const low = operand(); expectKw("and"); const high = operand();
      return { kind: "between", negated, subject, low, high, span: span(s, endOf(high)) };
    }
    if (kw("in")) {
      next(); const list = operand();
      if (list.kind !== "list" && list.kind !== "param") throw new Error("mini-parse: in needs a list");
      return { kind: "in", negated, subject, list, span: span(s, endOf(list)) };
    }
    if (kw("contains") || kw("starts") || kw("ends") || isOp("~=")) {
      const w = String(next().v).toLowerCase();
      if (w === "starts" || w === "ends") expectKw("with");
      const value = operand();
      const op = w === "contains" ? "contains" : w === "starts" ? "startsWith" : w === "ends" ? "endsWith" : "foldEquals";
      return { kind: "text", op, negated, subject, value, span: span(s, endOf(value)) };
    }
    if (negated) throw new Error("mini-parse: not what?");
    if (kw("has")) {
      next();
      let mode: "one" | "any" | "all" | "none" = "one";
      if (kw("any") || kw("all") || kw("none")) mode = String(next().v).toLowerCase() as "any";
      const value = operand();
      return { kind: "has", mode, subject, value, span: span(s, endOf(value)) };
    }
    if (kw("is")) {
      next(); let neg = false;
      if (kw("not")) { next(); neg = true; }
      if (kw("set")) { next(); return { kind: "isSet", negated: neg, subject, span: span(s, end()) }; }
      expectKw("empty");
      return { kind: "isEmpty", negated: neg, subject, span: span(s, end()) };
    }
    if (kw("within")) {
      next(); const dir = String(next().v).toLowerCase() as "last" | "next"; const d = operand();
      if (d.kind !== "duration") throw new Error("mini-parse: within needs a duration");
      return { kind: "within", direction: dir, subject, duration: d, span: span(s, endOf(d)) };
    }
    if (subject.kind === "field" || subject.kind === "ref" || subject.kind === "param") {
      return { kind: "truthy", subject, span: subject.span };
    }
    throw new Error(`mini-parse: unexpected token at ${t.s}`);
  }
  function literal(): LiteralNode {
    const t = next();
    if (t.t === "str") return { kind: "string", value: t.v, span: span(t.s, t.e) };
    if (t.t === "num") return { kind: "number", value: t.v, span: span(t.s, t.e) };
    if (t.t === "date") return { kind: "date", text: t.v, dateOnly: t.v.length === 10, span: span(t.s, t.e) };
    if (t.t === "id" && (t.v === "true" || t.v === "false")) return { kind: "boolean", value: t.v === "true", span: span(t.s, t.e) };
    throw new Error(`mini-parse: expected a literal at ${t.s}`);
  }
  function operand(): ValueNode {
    const t = peek();
    if (isOp("[")) {
      const open = next(); const items: LiteralNode[] = [];
      while (!isOp("]")) { items.push(literal()); if (isOp(",")) next(); }
      const close = next();
      const list: ListNode = { kind: "list", items, span: span(open.s, close.e) };
      return list;
    }
    if (isOp("$")) { const d = next(); const n = next(); return { kind: "param", name: n.v as string, span: span(d.s, n.e) }; }
    if (isOp("@")) { const a = next(); const n = next(); return { kind: "ref", name: n.v as string, span: span(a.s, n.e) }; }
    if (t.t === "num" && peek(1).t === "id" && UNITS[(peek(1).v as string).toLowerCase()]) {
      const n = next(); const u = next();
      const duration: DurationNode = { kind: "duration", amount: n.v as number, unit: UNITS[(u.v as string).toLowerCase()]!, span: span(n.s, u.e) };
      if (kw("ago")) { const a = next(); return { kind: "instant", duration, direction: "ago", span: span(n.s, a.e) }; }
      if (kw("from") && kw("now", 1)) { next(); const w = next(); return { kind: "instant", duration, direction: "fromNow", span: span(n.s, w.e) }; }
      return duration;
    }
    if (t.t === "str" || t.t === "num" || t.t === "date" || (t.t === "id" && !t.raw && (t.v === "true" || t.v === "false"))) return literal();
    if (t.t === "id" && !t.raw && ["count", "sum", "avg", "min", "max"].includes(t.v) && isOp("(", 1)) {
      const fn = next(); next();
      const pth = path();
      let where: ExprNode | undefined;
      if (kw("where")) { next(); where = or(); }
      const close = expectOp(")");
      const agg: AggregateNode = {
        kind: "aggregate", fn: fn.v as AggregateFn, path: pth.path, pathSpan: span(pth.s, pth.e), span: span(fn.s, close.e),
        ...(where ? { where } : {}),
      };
      return agg;
    }
    const pth = path();
    return { kind: "field", path: pth.path, span: span(pth.s, pth.e) };
  }

  const e = or();
  if (peek().t !== "eof") throw new Error(`mini-parse: unexpected token at ${peek().s}`);
  return e;
}
