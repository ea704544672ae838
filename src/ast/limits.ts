/**
 * Hard limits on untrusted rules. Crossing one is a `limit.*` diagnostic at a position, never a
 * stack overflow or a hang. Every pass walks trees whose depth the parser (or fromAST's
 * validator) has already bounded by `maxDepth`.
 */
export interface Limits {
  /** Longest source text, in UTF-16 code units. Default 100,000. */
  readonly maxSourceLength: number;
  /** Deepest nesting of parentheses, lists, `not`s, quantifiers and aggregates. Default 64. */
  readonly maxDepth: number;
  /** Most items in one `[...]` list. Default 10,000. */
  readonly maxListLength: number;
  /** Most AST nodes in one expression or rules file. Default 50,000. */
  readonly maxNodes: number;
  /** Most definitions in one rules file. Default 1,000. */
  readonly maxDefinitions: number;
}

/** The default limits, frozen. */
export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxSourceLength: 100_000,
  maxDepth: 64,
  maxListLength: 10_000,
  maxNodes: 50_000,
  maxDefinitions: 1_000,
});

/**
 * Merges user limits over the defaults, refusing values that are not positive integers
 * (a limit that is NaN or negative would silently disable the guard).
 * @internal
 */
export function resolveLimits(partial: Partial<Limits> | undefined): Limits {
  if (!partial) return DEFAULT_LIMITS;
  const out: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
    const v = partial[key];
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) {
      throw new RangeError(`cible: limits.${key} must be a positive integer, got ${String(v)}`);
    }
    out[key] = v;
  }
  return Object.freeze(out) as unknown as Limits;
}
