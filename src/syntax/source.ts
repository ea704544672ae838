/**
 * Offsets → positions for one source text: a table of line starts built once per parse, then a
 * binary search per position (spans stay on the original, un-normalised text).
 * @internal
 */
import type { Position, Span } from "../errors/diagnostic.js";

export class SourceText {
  readonly text: string;
  private readonly lineStarts: number[];

  constructor(text: string) {
    this.text = text;
    const starts = [0];
    let i = text.indexOf("\n");
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf("\n", i + 1);
    }
    this.lineStarts = starts;
  }

  /** The 1-based line of an offset. */
  lineOf(offset: number): number {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** The position of an offset (clamped into the text). */
  position(offset: number): Position {
    const o = offset < 0 || Number.isNaN(offset) ? 0 : offset > this.text.length ? this.text.length : offset;
    const line = this.lineOf(o);
    return { offset: o, line, column: o - this.lineStarts[line - 1]! + 1 };
  }

  /** The span `[start, end)`. */
  span(start: number, end: number): Span {
    return { start: this.position(start), end: this.position(end < start ? start : end) };
  }
}
