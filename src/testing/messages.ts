/**
 * Wording of the errors the testing kit throws (codes documented in docs/errors.md).
 * @internal
 */
import { CibleError } from "../errors/cible-error.js";

const MAX_RULE = 200;

/** A rule's text for a message, on one line and cut when long. */
export function ruleText(source: string): string {
  const one = source.replace(/\s+/g, " ").trim();
  return one.length > MAX_RULE ? `${one.slice(0, MAX_RULE)}…` : one;
}

/** @internal */
export const messages = {
  unsupportedType: (path: string, type: string, hint?: string) =>
    CibleError.of(
      "testing.unsupported-type",
      `The testing kit cannot generate the field \`${path}\`: its type ${type} is not supported.`,
      hint ??
        "the kit generates strings (plain, email, uuid, url, with length bounds), numbers (with bounds), booleans, dates, enums, literals, nested objects and arrays of those; pin the field with `pin` or leave it out of the schema",
    ),
  unknownPin: (path: string, known: readonly string[]) =>
    CibleError.of(
      "testing.unknown-field",
      `The constraint names the field \`${path}\`, which the schema does not declare.`,
      known.length ? `declared fields: ${known.slice(0, 20).join(", ")}${known.length > 20 ? ", …" : ""}` : undefined,
    ),
  noWitness: (source: string, wanted: "matching" | "non-matching", tried: number) =>
    CibleError.of(
      "testing.no-witness",
      wanted === "matching"
        ? `No record matches the rule \`${ruleText(source)}\` (a bounded search over ${tried} candidate plans found none): the rule may be unsatisfiable.`
        : `No record fails the rule \`${ruleText(source)}\` (a bounded search over ${tried} candidate plans found none): the rule may always be true.`,
      wanted === "matching"
        ? "look for contradictory bounds such as `employees > 5 and employees < 3`, or values the schema forbids"
        : "a rule that every record satisfies selects everything; check for tautologies such as `x is set or x is not set`",
    ),
  noSchema: (source: string) =>
    CibleError.of(
      "testing.no-schema",
      `The testing kit does not know the schema of the segment \`${ruleText(source)}\`.`,
      "pass it in the options (`{ schema: Contact }`), or register it once with `withSchema(segment, Contact)`",
    ),
  missingParam: (source: string, name: string) =>
    CibleError.of(
      "testing.missing-param",
      `The rule \`${ruleText(source)}\` uses the parameter $${name}, which has no value in \`ctx.params\`.`,
      "pass the parameters the rule is evaluated with in the context: `{ params: { ... } }`",
    ),
  badConstraint: (name: string, got: unknown, expected: string) =>
    CibleError.of(
      "testing.bad-constraint",
      `The constraint \`${name}\` must be ${expected}, got ${typeof got === "string" ? JSON.stringify(got) : String(got)}.`,
    ),
};
