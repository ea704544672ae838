/**
 * What the host's declared parameters (`createLanguageService({ params })`) tell about a checked
 * text, before any evaluation: a `$name` the host does not bind (evaluation would fail with
 * `param.missing`), and one whose declared type cannot be what the checker inferred from where it
 * stands (evaluation would fail with `param.type`). Same codes as those evaluation errors, so an
 * author meets one name for one problem. Reads the checker's inferred types; never re-infers them.
 * @internal
 */
import type { AnyNode, ParamNode } from "../ast/nodes.js";
import { definitionRoots, forEachNode } from "../ast/walk.js";
import type { ParamType } from "../check/types.js";
import { paramWords } from "../rules/check-rules.js";
import type { Diagnostic } from "../errors/diagnostic.js";
import { didYouMean } from "../schema/resolve.js";
import type { Analysis } from "./analysis.js";

/**
 * The diagnostics of `analysis` that come from the declared parameters; none when the host
 * declared none (a service without `params` knows nothing of what will be bound).
 *
 * @param analysis - a checked text (no diagnostics without a tree)
 * @param declared - the host's `params` option: name → `"number"`, `"string[]"`…
 */
export function paramDiagnostics(analysis: Analysis, declared: Readonly<Record<string, string>>): Diagnostic[] {
  const names = Object.keys(declared);
  if (names.length === 0 || !analysis.doc) return [];
  const out: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const node of paramNodes(analysis)) {
    if (reported.has(node.name)) continue;
    reported.add(node.name);
    const type = Object.hasOwn(declared, node.name) ? declared[node.name]! : undefined;
    if (type === undefined) {
      out.push(undeclared(node, names));
      continue;
    }
    const inferred = analysis.params.get(node.name);
    const wanted = declaredType(type);
    if (inferred && wanted && !fits(wanted, inferred)) out.push(mismatch(node, wanted, inferred));
  }
  return out;
}

/** Every `$name` of the tree, in source order. */
function paramNodes(analysis: Analysis): ParamNode[] {
  const doc = analysis.doc!;
  const roots: AnyNode[] = doc.kind === "rules" ? doc.definitions.flatMap((d) => definitionRoots(d)) : [doc.body];
  const found: ParamNode[] = [];
  for (const root of roots) forEachNode(root, (n) => void (n.kind === "param" && found.push(n)));
  return found.sort((a, b) => a.span.start.offset - b.span.start.offset);
}

/** A declared type as the checker writes types; undefined for a spelling it does not know (then nothing is said). */
type DeclaredType = Pick<ParamType, "kind" | "list">;

function declaredType(t: string): DeclaredType | undefined {
  const list = t.endsWith("[]");
  const kind = list ? t.slice(0, -2) : t;
  if (kind !== "string" && kind !== "number" && kind !== "boolean" && kind !== "date" && kind !== "duration") return undefined;
  return list && kind === "duration" ? undefined : { kind, list };
}

/** Whether a value of the declared type can pass the evaluator's check of the inferred one. */
function fits(declared: DeclaredType, inferred: ParamType): boolean {
  if (declared.list !== inferred.list) return false;
  if (inferred.kind === "dateOrDuration") return declared.kind === "date" || declared.kind === "duration";
  return declared.kind === inferred.kind;
}

function undeclared(node: ParamNode, names: readonly string[]): Diagnostic {
  const close = didYouMean(node.name, names);
  const listed = names.slice(0, 6).map((n) => `\`$${n}\``).join(", ") + (names.length > 6 ? ", …" : "");
  return {
    code: "param.missing",
    severity: "warning",
    message: `\`$${node.name}\` is not one of the parameters the host binds (${listed}): evaluating this would fail.`,
    span: node.span,
    hint: close.length ? `did you mean ${close.map((c) => `\`$${c}\``).join(" or ")}?` : "use one of those parameters, or ask the developers to bind this one",
    ...(close.length ? { fixes: close.map((c) => ({ title: `Write \`$${c}\``, edits: [{ span: node.span, newText: `$${c}` }] })) } : {}),
  };
}

function mismatch(node: ParamNode, wanted: DeclaredType, inferred: ParamType): Diagnostic {
  return {
    code: "param.type",
    severity: "error",
    message: `\`$${node.name}\` is bound as ${paramWords(wanted)} but used here as ${paramWords(inferred)}.`,
    span: node.span,
    hint: `the host binds ${paramWords(wanted)} there: compare it with a field of that type, or use another parameter`,
  };
}
