/**
 * The printer: an AST back to canonical text (docs/formatting.md). One table per node family,
 * so a new kind fails to type-check until it is printed.
 */
import type { Span } from "../errors/diagnostic.js";
import { assignComments, commentText } from "./comments.js";
import type {
  AnyNode,
  Comment,
  Definition,
  DefinitionKind,
  ExprKind,
  ExprNode,
  ExpressionDocument,
  QuantileTierLine,
  RulesDocument,
  ScoreRule,
  ThresholdTierLine,
  ValueKind,
  ValueNode,
} from "./nodes.js";
import { formatNumber, printDuration, printName, printPath, printPoints, printSigilName, quoteString } from "./text.js";
import { isExprNode } from "./walk.js";

/** Where an expression stands, which decides whether it needs parentheses. */
type Context = "top" | "and" | "or" | "not";

type ExprPrinters = { readonly [K in ExprKind]: (node: Extract<ExprNode, { kind: K }>) => string };
type ValuePrinters = { readonly [K in ValueKind]: (node: Extract<ValueNode, { kind: K }>) => string };

const COMPARE_ALIAS = { before: "<", after: ">" } as const;
const TEXT_OPS = { contains: "contains", startsWith: "starts with", endsWith: "ends with", foldEquals: "~=" } as const;

const not = (negated: boolean): string => (negated ? "not " : "");

const EXPR: ExprPrinters = {
  or: (n) => n.operands.map((o) => expr(o, "or")).join(" or "),
  and: (n) => n.operands.map((o) => expr(o, "and")).join(" and "),
  not: (n) => `not ${expr(n.operand, "not")}`,
  compare: (n) => {
    const op = n.alias && COMPARE_ALIAS[n.alias] === n.op ? n.alias : n.op;
    return `${value(n.left)} ${op} ${value(n.right)}`;
  },
  between: (n) => `${value(n.subject)} ${not(n.negated)}between ${value(n.low)} and ${value(n.high)}`,
  in: (n) => `${value(n.subject)} ${not(n.negated)}in ${value(n.list)}`,
  has: (n) => `${value(n.subject)} has ${n.mode === "one" ? "" : `${n.mode} `}${value(n.value)}`,
  text: (n) => `${value(n.subject)} ${not(n.negated)}${TEXT_OPS[n.op]} ${value(n.value)}`,
  isSet: (n) => `${value(n.subject)} is ${not(n.negated)}set`,
  isEmpty: (n) => `${value(n.subject)} is ${not(n.negated)}empty`,
  truthy: (n) => value(n.subject),
  quantifier: (n) => `${n.quantifier} ${printPath(n.collection.path)} where (${expr(n.where, "top")})`,
  within: (n) => `${value(n.subject)} within ${n.direction} ${value(n.duration)}`,
};

const VALUE: ValuePrinters = {
  field: (n) => printPath(n.path),
  string: (n) => quoteString(n.value),
  number: (n) => formatNumber(n.value),
  boolean: (n) => (n.value ? "true" : "false"),
  date: (n) => n.text,
  duration: (n) => printDuration(n),
  instant: (n) => `${value(n.duration)} ${n.direction === "ago" ? "ago" : "from now"}`,
  list: (n) => `[${n.items.map((i) => value(i)).join(", ")}]`,
  param: (n) => `$${printSigilName(n.name)}`,
  ref: (n) => `@${printSigilName(n.name)}`,
  aggregate: (n) => `${n.fn}(${printPath(n.path)}${n.where ? ` where ${expr(n.where, "top")}` : ""})`,
};

/** True when `node`, standing in `context`, must be wrapped in parentheses. */
function needsParens(node: ExprNode, context: Context): boolean {
  if (node.kind === "or") return context !== "top";
  if (node.kind === "and") return context === "and" || context === "not";
  return false;
}

function expr(node: ExprNode, context: Context): string {
  const text = (EXPR[node.kind] as (n: ExprNode) => string)(node);
  return needsParens(node, context) ? `(${text})` : text;
}

function value(node: ValueNode): string {
  return (VALUE[node.kind] as (n: ValueNode) => string)(node);
}

/**
 * The canonical text of one sub-expression or value, on one line, without comments
 * (explain uses it for each node of its tree).
 *
 * @example printNode(parse('SECTOR  =  "santé"').body) // 'SECTOR = "santé"'
 */
export function printNode(node: ExprNode | ValueNode): string {
  return isExprNode(node as AnyNode) ? expr(node as ExprNode, "top") : value(node as ValueNode);
}

// ---------------------------------------------------------------------------------------------
// Documents: items (one line each) and comments
// ---------------------------------------------------------------------------------------------

/** One line of output (or, for a chain, one operand) with the span the comments are placed by. */
interface Item {
  readonly span: Span;
  readonly text: string;
}

/**
 * A run of items printed together: a plain line, or the operands of an `and`/`or` chain that
 * stay on one line unless a comment would fall inside them.
 */
interface Block {
  readonly indent: string;
  /** `and`/`or` for a chain's operands, absent for a single line. */
  readonly op?: "and" | "or";
  readonly items: readonly Item[];
  /** Print a blank line before this block (a definition header other than the first). */
  readonly blankBefore?: boolean;
}

/** The blocks of an expression body: its top-level chain's operands, or the whole body. */
function bodyBlock(body: ExprNode, indent: string): Block {
  if (body.kind === "and" || body.kind === "or") {
    return {
      indent,
      op: body.kind,
      items: body.operands.map((o) => ({ span: o.span, text: expr(o, body.kind as Context) })),
    };
  }
  return { indent, items: [{ span: body.span, text: expr(body, "top") }] };
}

function render(blocks: readonly Block[], comments: readonly Comment[], blankBeforeEnd: boolean): string[] {
  const spans = blocks.flatMap((b) => b.items.map((i) => i.span));
  const slots = assignComments(spans, comments);
  const lines: string[] = [];
  let k = 0; // index of the block's first item in the flat list
  for (const block of blocks) {
    const n = block.items.length;
    const leading = (j: number) => slots.leading[k + j]!;
    const trailing = (j: number) => slots.trailing[k + j];
    const withTrailing = (text: string, j: number) => {
      const t = trailing(j);
      return t ? `${text}  ${commentText(t)}` : text;
    };
    if (block.blankBefore) lines.push("");
    let broken = false;
    for (let j = 0; j < n; j++) if ((j > 0 && leading(j).length) || (j < n - 1 && trailing(j))) broken = true;
    if (!broken) {
      for (const c of leading(0)) lines.push(block.indent + commentText(c));
      lines.push(withTrailing(block.indent + block.items.map((i) => i.text).join(` ${block.op} `), n - 1));
    } else {
      for (let j = 0; j < n; j++) {
        for (const c of leading(j)) lines.push(block.indent + commentText(c));
        lines.push(withTrailing(`${block.indent}${j > 0 ? `${block.op} ` : ""}${block.items[j]!.text}`, j));
      }
    }
    k += n;
  }
  if (slots.end.length) {
    if (blankBeforeEnd && lines.length) lines.push("");
    for (const c of slots.end) lines.push(commentText(c));
  }
  return lines;
}

/**
 * The canonical text of an expression, with its comments (docs/formatting.md). One line when no
 * comment falls inside the top-level `and`/`or` chain; otherwise one operand per line. No final newline.
 *
 * @example printExpression(parse('a=1  AND b')) // "a = 1 and b"
 */
export function printExpression(doc: ExpressionDocument): string {
  return render([bodyBlock(doc.body, "")], doc.comments, false).join("\n");
}

// ---------------------------------------------------------------------------------------------
// Rules files
// ---------------------------------------------------------------------------------------------

type DefinitionPrinters = { readonly [K in DefinitionKind]: (def: Extract<Definition, { kind: K }>) => Block[] };

const INDENT = "  ";

const header = (def: Definition, text: string, end: Span = def.nameSpan): Block => ({
  indent: "",
  items: [{ span: { start: def.span.start, end: end.end }, text }],
});

const line = (span: Span, text: string): Block => ({ indent: INDENT, items: [{ span, text }] });

type ScoreRulePrinters = { readonly [K in ScoreRule["kind"]]: (rule: Extract<ScoreRule, { kind: K }>) => string };

const SCORE_RULE: ScoreRulePrinters = {
  if: (r) => `${printPoints(r.points)} if ${expr(r.condition, "top")}`,
  per: (r) => `${printPoints(r.points)} per ${value(r.value)}${r.max === undefined ? "" : ` max ${formatNumber(r.max)}`}`,
  decay: (r) =>
    `${printPoints(r.points)} per ${printPath(r.collection.path)}${r.where ? ` where (${expr(r.where, "top")})` : ""}` +
    ` decaying ${formatNumber(r.percent)}% every ${value(r.every)} by ${printPath(r.by.path)}`,
};

function thresholdLine(l: ThresholdTierLine): string {
  const name = printName(l.name);
  if (!l.test) return `${name} otherwise`;
  if (l.test.op === "between") return `${name} if between ${value(l.test.low)} and ${value(l.test.high)}`;
  return `${name} if ${l.test.op} ${value(l.test.value)}`;
}

function quantileLine(l: QuantileTierLine): string {
  const name = printName(l.name);
  return l.percent === undefined ? `${name} otherwise` : `${name} ${formatNumber(l.percent)}%`;
}

const DEFINITION: DefinitionPrinters = {
  segment: (d) => [header(d, `segment ${printName(d.name)}:`), bodyBlock(d.body, INDENT)],
  score: (d) => [
    header(d, `score ${printName(d.name)}:`),
    ...d.rules.map((r) => line(r.span, (SCORE_RULE[r.kind] as (r: ScoreRule) => string)(r))),
    ...(d.clamp ? [line(d.clamp.span, `clamp ${formatNumber(d.clamp.min)} to ${formatNumber(d.clamp.max)}`)] : []),
  ],
  lifecycle: (d) => [
    header(d, `lifecycle ${printName(d.name)}:`),
    ...d.stages.map((s) =>
      line(s.span, s.condition ? `${printName(s.name)} if ${expr(s.condition, "top")}` : printName(s.name)),
    ),
  ],
  tiers: (d) => [
    header(d, `tiers ${printName(d.name)} by ${value(d.by)}${d.method === "quantiles" ? " quantiles" : ""}:`, d.by.span),
    ...d.lines.map((l) =>
      line(l.span, d.method === "quantiles" ? quantileLine(l as QuantileTierLine) : thresholdLine(l as ThresholdTierLine)),
    ),
  ],
  rfm: (d) => [
    header(d, `rfm ${printName(d.name)}:`),
    line(d.recency.span, `recency ${value(d.recency)}`),
    line(d.frequency.span, `frequency ${value(d.frequency)}`),
    line(d.monetary.span, `monetary ${value(d.monetary)}`),
  ],
  channel: (d) => [header(d, `channel ${printName(d.name)}:`), bodyBlock(d.body, INDENT)],
  split: (d) => [
    header(d, `split ${printName(d.name)} by ${printPath(d.key.path)}${d.seed === undefined ? "" : ` seed ${quoteString(d.seed)}`}:`, d.key.span),
    ...d.arms.map((a) => line(a.span, `${printName(a.name)} ${formatNumber(a.percent)}%`)),
  ],
};

/**
 * The canonical text of a rules file, with its comments: one blank line between definitions,
 * items indented by two spaces, a final newline (the empty string for an empty document).
 *
 * @example printRules(parseRulesFile("SEGMENT big :  employees>=1000")) // "segment big:\n  employees >= 1000\n"
 */
export function printRules(doc: RulesDocument): string {
  const blocks: Block[] = [];
  doc.definitions.forEach((def, i) => {
    const own = (DEFINITION[def.kind] as (d: Definition) => Block[])(def);
    if (i > 0 && own[0]) own[0] = { ...own[0], blankBefore: true };
    blocks.push(...own);
  });
  const lines = render(blocks, doc.comments, true);
  return lines.length ? `${lines.join("\n")}\n` : "";
}
