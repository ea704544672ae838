import { describe, expect, it } from "vitest";
import type { Comment, ExprNode, RulesDocument } from "../../src/ast/nodes.js";
import { printExpression, printRules } from "../../src/ast/printer.js";
import { positionAt, type Span } from "../../src/errors/diagnostic.js";
import { and, at, cmp, comment, doc, field, num, or, t } from "./build.js";

/** The span of the `n`-th occurrence of `snippet` in `source`. */
function loc(source: string, snippet: string, n = 0): Span {
  let i = -1;
  for (let k = 0; k <= n; k++) {
    i = source.indexOf(snippet, i + 1);
    if (i < 0) throw new Error(`${snippet} not found`);
  }
  return { start: positionAt(source, i), end: positionAt(source, i + snippet.length) };
}

/** The comments of a source, found by `#`, with the text after it (no strings contain `#` here). */
function comments(source: string): Comment[] {
  const out: Comment[] = [];
  for (const m of source.matchAll(/#([^\n]*)/g)) {
    out.push({ text: m[1]!, span: { start: positionAt(source, m.index!), end: positionAt(source, m.index! + m[0].length) } });
  }
  return out;
}

/** The part of a one-line span from `skip` code units on. */
const inner = (s: Span, skip: number): Span => ({
  start: { offset: s.start.offset + skip, line: s.start.line, column: s.start.column + skip },
  end: s.end,
});

const x = (src: string, name: string, n = 0): ExprNode => at(t(name), loc(src, name, n));

describe("comments in expressions", () => {
  it("keeps leading and final comments around a one-line chain", () => {
    const src = "# lead\na and b # last";
    const body = at(and(x(src, "a"), x(src, "b", 0)), loc(src, "a and b"));
    expect(printExpression(doc(body, comments(src)))).toBe("# lead\na and b  # last");
  });

  it("breaks the chain one operand per line when a comment falls inside it", () => {
    const src = "a # one\n and b\n # two\n and c";
    const body = and(x(src, "a"), x(src, "b"), x(src, "c"));
    const out = printExpression(doc(body, comments(src)));
    expect(out).toBe("a  # one\nand b\n# two\nand c");
  });

  it("moves a comment inside a nested operand to the end of that operand's line", () => {
    const src = "(a # inner\n or b) and c";
    const inner = at(or(x(src, "a"), x(src, "b")), loc(src, "a # inner\n or b"));
    const body = and(inner, x(src, "c"));
    expect(printExpression(doc(body, comments(src)))).toBe("(a or b)  # inner\nand c");
  });

  it("keeps one comment per line end; later ones lead the next operand", () => {
    const src = "(a # one\n # two\n or b) # three\n or c";
    const inner = at(and(x(src, "a"), x(src, "b")), loc(src, "a # one\n # two\n or b"));
    const body = or(inner, x(src, "c"));
    expect(printExpression(doc(body, comments(src)))).toBe("a and b  # one\n# two\n# three\nor c");
  });

  it("puts comments after the last operand at the end", () => {
    const src = "a = 1\n# after\n# again";
    const body = at(cmp(field("a"), "=", num(1)), loc(src, "a = 1"));
    expect(printExpression(doc(body, comments(src)))).toBe("a = 1\n# after\n# again");
  });

  it("keeps every comment, in order, even with spans that say nothing (hand-built ASTs)", () => {
    const out = printExpression(doc(and(t("a"), t("b")), [comment(" one"), comment(" two"), comment(" three")]));
    expect(out).toBe("a and b  # one\n# two\n# three");
  });

  it("prints the text after # exactly, and flattens a stray line break", () => {
    expect(printExpression(doc(t("a"), [comment("no space  "), comment(" x\ny")]))).toBe("a  #no space  \n# x y");
  });
});

describe("comments in rules files", () => {
  const src = [
    "# file header", // leading of the first header
    "segment big: # trailing header",
    "  # before body",
    "  a # after a",
    "  and b",
    "",
    "# about the score",
    "score s:",
    "  +1 if a # one point",
    "  # before clamp",
    "  clamp 0 to 10",
    "# the end",
    "",
  ].join("\n");
  const Z0 = loc(src, "segment big");
  const docOf = (): RulesDocument => ({
    kind: "rules",
    version: 1,
    comments: comments(src),
    definitions: [
      {
        kind: "segment",
        name: "big",
        nameSpan: loc(src, "big"),
        span: { start: Z0.start, end: loc(src, "and b").end },
        body: at(and(at(t("a"), loc(src, "a # after")), at(t("b"), inner(loc(src, "and b"), 4))), {
          start: loc(src, "a # after").start,
          end: loc(src, "and b").end,
        }),
      },
      {
        kind: "score",
        name: "s",
        nameSpan: loc(src, "s:"),
        span: { start: loc(src, "score s").start, end: loc(src, "clamp 0 to 10").end },
        rules: [{ kind: "if", points: 1, condition: at(t("a"), loc(src, "a # one")), span: loc(src, "+1 if a") }],
        clamp: { min: 0, max: 10, span: loc(src, "clamp 0 to 10") },
      },
    ],
  });

  it("places each comment by the item it leads or trails", () => {
    expect(printRules(docOf())).toBe(
      [
        "# file header",
        "segment big:  # trailing header",
        "  # before body",
        "  a  # after a",
        "  and b",
        "",
        "# about the score",
        "score s:",
        "  +1 if a  # one point",
        "  # before clamp",
        "  clamp 0 to 10",
        "",
        "# the end",
        "",
      ].join("\n"),
    );
  });

  it("prints a file of comments only", () => {
    expect(printRules({ kind: "rules", version: 1, definitions: [], comments: [comment(" a"), comment(" b")] })).toBe("# a\n# b\n");
  });
});
