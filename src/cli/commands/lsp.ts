/**
 * `cible lsp`: a language server for `.cible` files on standard input and output (docs/editor.md).
 * `--stdio` is accepted (editors pass it by habit) and is the default; there is no other transport.
 * The server runs until the client closes the connection: the protocol's `exit`, or the end of
 * standard input, ends the process.
 */
import { Writable } from "node:stream";
import type { Command } from "commander";
import type { Output } from "../io.js";
import type { CommandContext } from "../main.js";

export function registerLsp(program: Command, ctx: CommandContext): Command {
  return program
    .command("lsp")
    .description("run the language server for editors (LSP over stdin/stdout): diagnostics, completion, hover, quick fixes")
    .option("--stdio", "talk over standard input and output (the default and only transport)")
    .addHelpText("after", "\nThe schema of each .cible file comes from the nearest cible.config.json (docs/editor.md).\nExample (an editor runs it):\n  $ cible lsp --stdio")
    .action(async () => {
      const { io } = ctx;
      // Standard output carries the protocol: anything a loaded schema module logs goes to stderr.
      const toStderr = (...args: unknown[]) => void io.stderr.write(`${args.map(String).join(" ")}\n`);
      console.log = console.info = console.debug = console.warn = toStderr;
      // Loaded here, not at the top: the other commands never pay for the server.
      const [{ ProposedFeatures, createConnection }, { startServer }] = await Promise.all([import("vscode-languageserver/node"), import("../lsp/server.js")]);
      const connection = createConnection(ProposedFeatures.all, io.stdin, writableOf(io.stdout));
      startServer(connection);
      // The connection ends the process (on `exit` or when standard input closes).
      await new Promise<never>(() => {});
    });
}

/** The protocol needs a stream: process.stdout is one; anything else is wrapped. */
function writableOf(out: Output): NodeJS.WritableStream {
  if (out instanceof Writable) return out;
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      out.write(chunk.toString("utf8"));
      done();
    },
  });
}
