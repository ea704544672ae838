/**
 * The checked view of a source: the same pipeline as `check` / `checkRules` (parse, then the
 * checker), keeping what the checker resolved (the facts) for hover and completion. When the text
 * does not parse there is no tree: the service then answers from the token scan (scan.ts).
 * @internal
 */
import type { AnyNode, Definition, ExpressionDocument, RulesDocument, ValueNode } from "../ast/nodes.js";
import { definitionRoots, forEachNode, VALUE_KINDS } from "../ast/walk.js";
import { checkExpression } from "../check/check.js";
import type { ParamType } from "../check/types.js";
import { Facts } from "../check/facts.js";
import { type Diagnostic, positionAt, sortDiagnostics } from "../errors/diagnostic.js";
import { checkRulesDocument } from "../rules/check-rules.js";
import type { SchemaModel } from "../schema/model.js";
import { parseExpression, parseRules } from "../syntax/index.js";
import * as M from "../syntax/messages.js";

/** A checked source. */
export interface Analysis {
  readonly diagnostics: Diagnostic[];
  /** The tree, when the text parses. */
  readonly doc?: ExpressionDocument | RulesDocument;
  /** What the checker resolved for the tree's value nodes (empty without a tree). */
  readonly facts: Facts;
  /** The definitions by name (rules files). */
  readonly defs: ReadonlyMap<string, Definition>;
  /** The type the checker inferred for each `$param` (empty without a tree). */
  readonly params: ReadonlyMap<string, ParamType>;
}

const cache = new WeakMap<SchemaModel, { text: string; rules: boolean; analysis: Analysis }>();

/**
 * The analysis of `text` if it is the one last analysed (editors check a text on change, then
 * ask for hovers and completions on it): those read the checker's facts without checking again.
 */
export function peek(text: string, rules: boolean, model: SchemaModel): Analysis | undefined {
  const hit = cache.get(model);
  return hit && hit.text === text && hit.rules === rules ? hit.analysis : undefined;
}

const nodeIndex = new WeakMap<Analysis, Map<string, ValueNode>>();

/** The value node of a checked tree whose span is exactly `start..end`, if any. */
export function valueNodeAt(a: Analysis, start: number, end: number): ValueNode | undefined {
  let index = nodeIndex.get(a);
  if (!index) {
    index = new Map();
    const roots: AnyNode[] = !a.doc ? [] : a.doc.kind === "rules" ? a.doc.definitions.flatMap((d) => definitionRoots(d)) : [a.doc.body];
    for (const root of roots) {
      forEachNode(root, (node) => {
        if (VALUE_KINDS.has(node.kind)) index!.set(`${node.span.start.offset}:${node.span.end.offset}`, node as ValueNode);
      });
    }
    nodeIndex.set(a, index);
  }
  return index.get(`${start}:${end}`);
}

/** Parses and checks `text` as `check` (expressions) or `checkRules` (rules files) do. Never throws. */
export function analyze(text: string, rules: boolean, model: SchemaModel): Analysis {
  const hit = cache.get(model);
  if (hit && hit.text === text && hit.rules === rules) return hit.analysis;
  let analysis: Analysis;
  try {
    analysis = rules ? analyzeRules(text, model) : analyzeExpression(text, model);
  } catch {
    // The checker never throws for a parsed tree; should it, say so rather than fail the editor.
    const at = { start: positionAt(text, 0), end: positionAt(text, 0) };
    analysis = { diagnostics: [M.diag(M.internalError(), at)], facts: new Facts(), defs: new Map(), params: new Map() };
  }
  cache.set(model, { text, rules, analysis });
  return analysis;
}

function analyzeExpression(text: string, model: SchemaModel): Analysis {
  const parsed = parseExpression(text);
  if (!parsed.doc) return { diagnostics: sortDiagnostics(parsed.diagnostics), facts: new Facts(), defs: new Map(), params: new Map() };
  const checked = checkExpression(parsed.doc.body, model);
  return {
    diagnostics: sortDiagnostics([...parsed.diagnostics, ...checked.diagnostics]),
    doc: parsed.doc,
    facts: checked.facts,
    defs: new Map(),
    params: checked.params,
  };
}

function analyzeRules(text: string, model: SchemaModel): Analysis {
  const parsed = parseRules(text);
  if (!parsed.doc) return { diagnostics: sortDiagnostics(parsed.diagnostics), facts: new Facts(), defs: new Map(), params: new Map() };
  const checked = checkRulesDocument(parsed.doc, model);
  return {
    diagnostics: sortDiagnostics([...parsed.diagnostics, ...checked.diagnostics]),
    doc: parsed.doc,
    facts: checked.plan.facts,
    defs: checked.plan.defs,
    // One `params` object feeds the whole file; a conflict between definitions is reported above.
    params: new Map([...checked.plan.ownParams.values()].flatMap((own) => [...own]).reverse()),
  };
}
