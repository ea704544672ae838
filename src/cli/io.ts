/**
 * What every subcommand writes to and reads from, so that tests can run `main(argv, io)` in
 * process: the two output streams (with whether each is a terminal), standard input, the working
 * directory and the environment. Also the error a subcommand throws to stop with a message.
 */
import { resolve } from "node:path";
import type { Readable } from "node:stream";
import pc from "picocolors";

/** An output stream: `process.stdout`, `process.stderr`, or a test's collector. */
export interface Output {
  write(text: string): unknown;
  /** True when the stream is a terminal (colours, progress bar). */
  readonly isTTY?: boolean;
  /** Terminal width, when known. */
  readonly columns?: number;
}

export interface CliIo {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly stdin: Readable;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The real process. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: process.env };
}

/** Exit codes, as eslint and prettier use them. */
export const EXIT = {
  /** Everything went well (warnings alone are fine). */
  ok: 0,
  /** The command ran and found problems: errors in a rules file, unformatted files. */
  problems: 1,
  /** The command could not do its job: bad usage, a missing or unreadable file, bad data. */
  failure: 2,
} as const;

/**
 * A message for the user, printed as `cible: <message>` (and `  hint: …`) without a stack trace;
 * the command then exits with `exitCode`.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colours for one stream, following the usual conventions: `NO_COLOR` turns them off,
 * `FORCE_COLOR` (other than `0`) on; otherwise only on a terminal.
 */
export function colorsFor(out: Output, env: CliIo["env"]): Colors {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return pc.createColors(false);
  if (env.FORCE_COLOR !== undefined) return pc.createColors(env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false");
  return pc.createColors(out.isTTY === true && env.TERM !== "dumb");
}

/** A path given on the command line, resolved against the working directory. */
export function pathIn(io: CliIo, path: string): string {
  return resolve(io.cwd, path);
}

/** Writes one line. */
export function println(out: Output, text = ""): void {
  out.write(`${text}\n`);
}
