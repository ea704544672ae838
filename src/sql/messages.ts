/**
 * Every code and sentence the SQL compiler produces, in one place (codes documented in
 * docs/errors.md). Parameter, `now` and time-zone errors reuse the evaluator's codes
 * (`param.missing`, `param.type`, and check/clock.ts's `eval.now`, `eval.time-zone`) so that a host handles them once.
 * @internal
 */
import { CibleError } from "../errors/cible-error.js";
import { type Span, WHOLE, error } from "../errors/diagnostic.js";

/** The codes `toSQL` emits. @internal */
export const SQL_CODES = {
  unsupported: "sql.unsupported",
  reference: "sql.reference",
  childTable: "sql.child-table",
  identifier: "sql.identifier",
  options: "sql.options",
  schema: "sql.schema",
  definition: "sql.definition",
} as const;

const q = (s: string) => `\`${s}\``;

function fail(code: string, message: string, span: Span = WHOLE, hint?: string, source?: string): CibleError {
  return new CibleError([error(code, message, span, hint)], source);
}

/** @internal */
export const sqlMessages = {
  unsupported: (construct: string, dialect: string, span: Span, source?: string, hint?: string) =>
    fail(SQL_CODES.unsupported, `${construct} cannot be expressed in ${dialect}.`, span, hint, source),
  reference: (name: string, span: Span, source?: string) =>
    fail(
      SQL_CODES.reference,
      `${q(`@${name}`)} refers to another definition, which \`toSQL\` cannot see.`,
      span,
      "compile the rules file with `compileRules` and use `scoreToSQL` / `stageToSQL`, or write the condition out",
      source,
    ),
  childTable: (path: string, within: readonly string[], span: Span, source?: string) =>
    fail(
      SQL_CODES.childTable,
      `${q(path)} is a list of objects, stored in a child table, and \`children\` does not say which one.`,
      span,
      // A list inside a child table's element goes in that child's own `children`.
      `pass children: ${within.reduceRight((inner, key) => `{ ${JSON.stringify(key)}: { table: "…", foreignKey: "…", children: ${inner} } }`, `{ ${JSON.stringify(path)}: { table: "…", foreignKey: "…", key: "id" } }`)}`,
      source,
    ),
  identifier: (name: string, why: string, dialect: string, hint?: string) =>
    fail(SQL_CODES.identifier, `The name ${JSON.stringify(name)} cannot be used as a ${dialect} identifier: ${why}.`, WHOLE, hint),
  /** `also`: another kind the name may be (a channel where a segment is asked for), and its names. */
  definition: (kind: string, name: string, names: readonly string[], also?: { kind: string; names: readonly string[] }) =>
    fail(
      SQL_CODES.definition,
      `The rules file has no ${kind}${also ? ` or ${also.kind}` : ""} named ${q(name)}.`,
      WHOLE,
      [names.length ? `its ${kind}s: ${names.map(q).join(", ")}` : `it defines no ${kind}`, ...(also?.names.length ? [`its ${also.kind}s: ${also.names.map(q).join(", ")}`] : [])].join("; "),
    ),
  options: (what: string, hint?: string) => fail(SQL_CODES.options, what, WHOLE, hint),
  schema: (entry: string, what: string) =>
    fail(
      SQL_CODES.schema,
      `\`${entry}\` needs the record schema: ${what} was given without one.`,
      WHOLE,
      "pass the zod schema as the `schema` option",
    ),
};
