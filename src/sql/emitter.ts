/**
 * Parameters and placeholders. The compiler writes SQL fragments in any order and marks each
 * parameter with a token (`\0` index `\0`: NUL never appears in identifiers, which the dialects
 * refuse, nor in the compiler's own text); {@link Params.render} then numbers the placeholders in
 * the order they appear in the final text, so `?` dialects get their values in order and `$n`
 * dialects reuse one number for a repeated value.
 * @internal
 */
import type { Dialect, SQLType } from "./dialect.js";
import type { SQLCondition, SQLParam } from "./types.js";

const TOKEN = /\u0000(\d+)\u0000/g;

/** @internal */
export class Params {
  private readonly values: SQLParam[] = [];
  /** The SQL type each value is read as, for dialects whose placeholders carry it (ClickHouse's `{p1:Float64}`). */
  private readonly types: (SQLType | undefined)[] = [];

  /** A token standing for `value`, to be replaced by a placeholder; `type` is what the SQL reads it as (text when absent). */
  add(value: SQLParam, type?: SQLType): string {
    this.values.push(value);
    this.types.push(type);
    return `\u0000${this.values.length - 1}\u0000`;
  }

  /** Replaces the tokens of `text` by the dialect's placeholders and lists their values in order. */
  render(text: string, dialect: Dialect): SQLCondition {
    const params: SQLParam[] = [];
    const numbers = new Map<number, number>();
    const sql = text.replace(TOKEN, (_, i: string) => {
      const index = Number(i);
      const value = this.values[index]!;
      if (dialect.reusesPlaceholders) {
        let n = numbers.get(index);
        if (n === undefined) {
          params.push(value);
          n = params.length;
          numbers.set(index, n);
        }
        return dialect.placeholder(n, this.types[index] ?? "text");
      }
      params.push(value);
      return dialect.placeholder(params.length, this.types[index] ?? "text");
    });
    return { sql, params };
  }
}
