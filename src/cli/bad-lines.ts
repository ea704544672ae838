/**
 * Lines of an NDJSON file that are not a JSON object (a truncated record, a stray line): `eval`
 * and `report` go on past them, count them, keep the first few reasons, list them at the end and
 * exit 1. `--max-errors N` stops the run at the line after the Nth (exit 2).
 */
import { int, plural } from "./format.js";
import { type CliIo, CliError, EXIT, colorsFor } from "./io.js";

/** How many reasons are kept and listed. */
const SHOWN = 5;

export class BadLines {
  /** Bad lines seen so far. */
  count = 0;
  /** The first few: line number (1-based, of the file) and why. */
  readonly first: { line: number; reason: string }[] = [];

  /** `max`: how many bad lines to go on past (default: all). */
  constructor(
    private readonly name: string,
    private readonly max = Infinity,
  ) {}

  /** Notes one bad line; a CliError (exit 2) past `max`. */
  add(line: number, reason: string): void {
    this.count++;
    if (this.first.length < SHOWN) this.first.push({ line, reason });
    if (this.count > this.max) {
      throw new CliError(
        `${this.name}:${line}: ${reason}; stopped after ${plural(this.count, "line")} that ${this.count === 1 ? "is" : "are"} not a JSON object (--max-errors ${this.max})`,
        EXIT.failure,
        "NDJSON has one JSON object per line; raise --max-errors, or leave it out, to go on past bad lines",
      );
    }
  }

  /** As `--json` prints it. */
  toJSON(): { count: number; first: { line: number; reason: string }[] } {
    return { count: this.count, first: this.first };
  }

  /** Lists them on standard error. */
  say(io: CliIo): void {
    if (!this.count) return;
    const c = colorsFor(io.stderr, io.env);
    io.stderr.write(`${c.red("cible:")} ${this.name}: ${plural(this.count, "line")} ${this.count === 1 ? "is" : "are"} not a JSON object and ${this.count === 1 ? "was" : "were"} left out:\n`);
    for (const b of this.first) io.stderr.write(`  ${c.dim("·")} line ${int(b.line)}: ${b.reason}\n`);
    if (this.count > this.first.length) io.stderr.write(`  ${c.dim(`· and ${int(this.count - this.first.length)} more`)}\n`);
  }
}

/** `--max-errors N`: a whole number ≥ 0, or undefined for no limit. */
export function maxErrors(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || text.trim() === "") throw new CliError(`--max-errors takes a whole number, got "${text}"`, EXIT.failure, "for example --max-errors 0 to stop at the first bad line");
  return n;
}
