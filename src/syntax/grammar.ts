/**
 * The grammar of the cible language (expressions and rules files), as one chevrotain
 * EmbeddedActionsParser. grammar/cible.ebnf is the same grammar written by hand; the syntax
 * diagrams (grammar/diagrams.html) are generated from this parser.
 *
 * The grammar only says what goes where; every action is one call into the Builder (build.ts),
 * inside `ACTION` so that it does not run while chevrotain records the grammar.
 *
 * Notes:
 * - `not` before a term is a repetition (`term`), never a recursion: `not not … x` of any length
 *   costs no stack. Parentheses do recurse; their depth is bounded before parsing (layout.ts).
 * - A predicate is `operand tail?`: a boolean field alone and `f op v` share their prefix.
 *   After an operand, `not` can only start a negated operator (`not in`, `not contains`…).
 * - Rules files rely on two virtual tokens inserted by layout.ts: `DefStart` before each definition
 *   and `LineBreak` before each line of a score, lifecycle, tiers or rfm body. They make line ends
 *   explicit (a stage's condition cannot swallow the next stage's name) and are where error
 *   recovery resynchronises.
 * - Speed: alternatives that need no per-call state are built once and cached (chevrotain's
 *   recommended pattern), the operator part of a predicate returns a small draft instead of taking
 *   arguments, and a path is read inline in `operand` (the most frequent case).
 * @internal
 */
import { EmbeddedActionsParser, type IOrAlt, type IToken } from "chevrotain";
import type {
  Definition,
  DurationNode,
  ExprNode,
  FieldNode,
  ListNode,
  LiteralNode,
  ParamNode,
  StageLine,
  ThresholdTierLine,
  ValueNode,
} from "../ast/nodes.js";
import * as T from "./tokens.js";
import { parserMessages } from "./messages.js";
import { RECOVERED, type Builder, type RfmLineDraft, type SplitArmDraft, type ScoreItem, type TailDraft, type TierLineDraft } from "./build.js";

/** Parse errors recorded before parsing stops: past this, errors are mostly cascade and cost time. */
export const MAX_PARSE_ERRORS = 101; // one more than the diagnostics shown, so the cap says "more follow"

/** Thrown (and caught by the driver) when {@link MAX_PARSE_ERRORS} is reached. */
export class TooManyErrors extends Error {}

/** What follows a name in an operand: `(path where e)` (an aggregate) or more `.name`s. */
type NameRest = { path: FieldNode; where?: ExprNode; close: IToken } | IToken[];

const recoverExpr = () => RECOVERED.expr;
const recoverValue = () => RECOVERED.field;
const recoverNothing = <R>(): R => undefined as R;

export class CibleParser extends EmbeddedActionsParser {
  /** The builder of the parse in progress (set by the driver before each parse). */
  b!: Builder;

  // Cached alternatives (see the module comment).
  private termAlts?: IOrAlt<ExprNode>[];
  private tailAlts?: IOrAlt<TailDraft>[];
  private negatableAlts?: IOrAlt<TailDraft>[];
  private operandAlts?: IOrAlt<ValueNode>[];
  private listItemAlts?: IOrAlt<LiteralNode>[];
  private hasAlts?: IOrAlt<TailDraft>[];
  private setEmptyAlts?: IOrAlt<IToken>[];
  private lastNextAlts?: IOrAlt<IToken>[];
  private nameRestAlts?: IOrAlt<NameRest>[];
  private directionAlts?: IOrAlt<"ago" | "fromNow">[];
  private listOrParamAlts?: IOrAlt<ListNode | ParamNode>[];
  private durationOrParamAlts?: IOrAlt<DurationNode | ParamNode>[];

  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: parserMessages });
    this.performSelfAnalysis();
  }

  /** Errors recorded in the parse in progress (reset by the driver). */
  errorCount = 0;

  /** chevrotain records each recognition error here; stop the parse after {@link MAX_PARSE_ERRORS}. */
  SAVE_ERROR(error: Error): Error {
    const saved = (EmbeddedActionsParser.prototype as unknown as { SAVE_ERROR(e: Error): Error }).SAVE_ERROR.call(this, error);
    if (++this.errorCount >= MAX_PARSE_ERRORS) throw new TooManyErrors();
    return saved;
  }

  // -------------------------------------------------------------------------------------------
  // Expressions
  // -------------------------------------------------------------------------------------------

  /** Start rule of parseExpression. */
  expression = this.RULE("expression", (): ExprNode => this.SUBRULE(this.orExpr), { recoveryValueFunc: recoverExpr });

  orExpr = this.RULE(
    "orExpr",
    (): ExprNode => {
      const first = this.LA(1);
      const head = this.SUBRULE(this.andExpr);
      let all: ExprNode[] | undefined;
      this.MANY(() => {
        this.CONSUME(T.Or);
        const next = this.SUBRULE2(this.andExpr);
        (all ??= [head]).push(next);
      });
      return all ? this.ACTION(() => this.b.logical("or", all!, first, this.LA(0))) : head;
    },
    { recoveryValueFunc: recoverExpr },
  );

  andExpr = this.RULE(
    "andExpr",
    (): ExprNode => {
      const first = this.LA(1);
      const head = this.SUBRULE(this.term);
      let all: ExprNode[] | undefined;
      this.MANY(() => {
        this.CONSUME(T.And);
        const next = this.SUBRULE2(this.term);
        (all ??= [head]).push(next);
      });
      return all ? this.ACTION(() => this.b.logical("and", all!, first, this.LA(0))) : head;
    },
    { recoveryValueFunc: recoverExpr },
  );

  /** `not* ( "(" orExpr ")" | quantified | predicate )`. */
  term = this.RULE(
    "term",
    (): ExprNode => {
      let nots: IToken[] | undefined;
      this.MANY(() => {
        const t = this.CONSUME(T.Not);
        (nots ??= []).push(t);
      });
      const e = this.OR(
        (this.termAlts ??= [
          {
            ALT: () => {
              this.CONSUME(T.LParen);
              const inner = this.SUBRULE(this.orExpr);
              this.CONSUME(T.RParen);
              return inner;
            },
          },
          {
            // any P where (e), all P where (e), none P where (e)
            ALT: () => {
              const q = this.CONSUME(T.QuantifierWord);
              const collection = this.SUBRULE(this.path);
              this.CONSUME(T.Where);
              this.CONSUME2(T.LParen);
              const where = this.SUBRULE2(this.orExpr);
              this.CONSUME2(T.RParen);
              return this.ACTION(() => this.b.quantifier(q, collection, where, this.LA(0)));
            },
          },
          { ALT: () => this.SUBRULE(this.predicate) },
        ]),
      );
      return nots ? this.ACTION(() => this.b.nots(nots!, e, this.LA(0))) : e;
    },
    { recoveryValueFunc: recoverExpr },
  );

  /** `operand tail?`: `f op v`, or a boolean field (`@segment`, `$param`) alone. */
  predicate = this.RULE(
    "predicate",
    (): ExprNode => {
      const first = this.LA(1);
      const subject = this.SUBRULE(this.operand);
      const tail = this.OPTION(() =>
        this.OR(
          (this.tailAlts ??= [
            {
              ALT: () => {
                const op = this.CONSUME(T.CompareOp);
                return { k: "compare", op, right: this.SUBRULE2(this.operand) } as TailDraft;
              },
            },
            {
              ALT: () => {
                const op = this.CONSUME(T.Before);
                return { k: "alias", op, right: this.SUBRULE3(this.operand) } as TailDraft;
              },
            },
            {
              ALT: () => {
                const op = this.CONSUME(T.After);
                return { k: "alias", op, right: this.SUBRULE4(this.operand) } as TailDraft;
              },
            },
            {
              // has v, has any [..], has all [..], has none [..]
              ALT: () => {
                this.CONSUME(T.Has);
                return this.OR2(
                  (this.hasAlts ??= [
                    {
                      ALT: () => {
                        const mode = this.CONSUME(T.QuantifierWord);
                        return { k: "has", mode, value: this.SUBRULE(this.listOrParam) } as TailDraft;
                      },
                    },
                    { ALT: () => ({ k: "has", value: this.SUBRULE5(this.operand) }) as TailDraft },
                  ]),
                );
              },
            },
            {
              // is set, is not set, is empty, is not empty
              ALT: () => {
                this.CONSUME(T.Is);
                const not = this.OPTION2(() => this.CONSUME(T.Not));
                const what = this.OR3(
                  (this.setEmptyAlts ??= [{ ALT: () => this.CONSUME(T.Set_) }, { ALT: () => this.CONSUME(T.Empty) }]),
                );
                return { k: "is", negated: not !== undefined, what } as TailDraft;
              },
            },
            {
              // within last 30 days, within next 60 days
              ALT: () => {
                this.CONSUME(T.Within);
                const dir = this.OR4(
                  (this.lastNextAlts ??= [{ ALT: () => this.CONSUME(T.Last) }, { ALT: () => this.CONSUME(T.Next) }]),
                );
                return { k: "within", dir, duration: this.SUBRULE(this.durationOrParam) } as TailDraft;
              },
            },
            {
              // not between, not in, not contains, not starts with, not ends with, not ~=
              ALT: () => {
                this.CONSUME2(T.Not);
                const draft = this.SUBRULE(this.negatable);
                this.ACTION(() => {
                  if (draft && "negated" in draft) draft.negated = true;
                });
                return draft;
              },
            },
            { ALT: () => this.SUBRULE2(this.negatable) },
          ]),
        ),
      );
      return this.ACTION(() => this.b.predicate(subject, tail, first, this.LA(0)));
    },
    { recoveryValueFunc: recoverExpr },
  );

  /** The operators that take a `not` before them: between, in, contains, starts with, ends with, ~=. */
  negatable = this.RULE(
    "negatable",
    (): TailDraft =>
      this.OR(
        (this.negatableAlts ??= [
          {
            ALT: () => {
              this.CONSUME(T.Between);
              const low = this.SUBRULE(this.operand);
              this.CONSUME(T.And);
              return { k: "between", negated: false, low, high: this.SUBRULE2(this.operand) } as TailDraft;
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.In);
              return { k: "in", negated: false, list: this.SUBRULE(this.listOrParam) } as TailDraft;
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.Contains);
              return { k: "text", op: "contains", negated: false, value: this.SUBRULE3(this.operand) } as TailDraft;
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.Starts);
              this.CONSUME(T.With);
              return { k: "text", op: "startsWith", negated: false, value: this.SUBRULE4(this.operand) } as TailDraft;
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.Ends);
              this.CONSUME2(T.With);
              return { k: "text", op: "endsWith", negated: false, value: this.SUBRULE5(this.operand) } as TailDraft;
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.FoldEq);
              return { k: "text", op: "foldEquals", negated: false, value: this.SUBRULE6(this.operand) } as TailDraft;
            },
          },
        ]),
      ),
    { recoveryValueFunc: recoverNothing<TailDraft> },
  );

  // -------------------------------------------------------------------------------------------
  // Values
  // -------------------------------------------------------------------------------------------

  operand = this.RULE(
    "operand",
    (): ValueNode =>
      this.OR(
        (this.operandAlts ??= [
          {
            // a path (account.sector), or an aggregate: count(P), sum(P.x where e)…
            ALT: () => {
              const head = this.CONSUME(T.Name);
              const rest = this.OR5(
                (this.nameRestAlts ??= [
                  {
                    ALT: (): NameRest => {
                      this.CONSUME(T.LParen);
                      const path = this.SUBRULE(this.path);
                      let where: ExprNode | undefined;
                      this.OPTION4(() => {
                        this.CONSUME(T.Where);
                        where = this.SUBRULE(this.orExpr);
                      });
                      return { path, where, close: this.CONSUME(T.RParen) };
                    },
                  },
                  {
                    ALT: (): NameRest => {
                      const parts: IToken[] = [];
                      this.MANY(() => {
                        this.CONSUME(T.Dot);
                        parts.push(this.CONSUME2(T.Name));
                      });
                      return parts;
                    },
                  },
                ]),
              );
              return this.ACTION(() =>
                Array.isArray(rest)
                  ? this.b.path([head, ...rest])
                  : rest
                    ? this.b.aggregate(head, rest.path, rest.where, rest.close)
                    : this.b.path([head]),
              );
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(T.RefTok);
              return this.ACTION(() => this.b.ref(t));
            },
          },
          {
            ALT: () => {
              // $p, or a duration parameter as an instant: $window ago, $lead from now
              const t = this.CONSUME(T.ParamTok);
              const direction = this.OPTION3(() => this.SUBRULE2(this.direction));
              return this.ACTION(() => this.b.paramOrInstant(t, direction, this.LA(0)));
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(T.StringLit);
              return this.ACTION(() => this.b.string(t));
            },
          },
          {
            // 42, 6 months, 6 months ago, 60 days from now
            ALT: () => {
              const num = this.CONSUME(T.NumberLit);
              let unit: IToken | undefined;
              let direction: "ago" | "fromNow" | undefined;
              this.OPTION(() => {
                unit = this.CONSUME(T.Unit);
                direction = this.OPTION2(() => this.SUBRULE(this.direction));
              });
              return this.ACTION(() => this.b.numeric(num, unit, direction, this.LA(0)));
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(T.DateLit);
              return this.ACTION(() => this.b.date(t));
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(T.True);
              return this.ACTION(() => this.b.boolean(t, true));
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(T.False);
              return this.ACTION(() => this.b.boolean(t, false));
            },
          },
          { ALT: () => this.SUBRULE(this.list) },
        ]),
      ),
    { recoveryValueFunc: recoverValue },
  );

  /** `account.sector`: names joined by dots (soft keywords and backquoted names included). */
  path = this.RULE(
    "path",
    (): FieldNode => {
      const parts = [this.CONSUME(T.Name)];
      this.MANY(() => {
        this.CONSUME(T.Dot);
        parts.push(this.CONSUME2(T.Name));
      });
      return this.ACTION(() => this.b.path(parts));
    },
    { recoveryValueFunc: recoverValue },
  );

  /** `ago` or `from now`, after a duration or a duration parameter. */
  direction = this.RULE(
    "direction",
    (): "ago" | "fromNow" =>
      this.OR(
        (this.directionAlts ??= [
          {
            ALT: () => {
              this.CONSUME(T.Ago);
              return "ago" as const;
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.From);
              this.CONSUME(T.Now);
              return "fromNow" as const;
            },
          },
        ]),
      ),
  );

  /** `30 days` or `$window` after `within last` / `within next` and `every`. */
  durationOrParam = this.RULE(
    "durationOrParam",
    (): DurationNode | ParamNode =>
      this.OR(
        (this.durationOrParamAlts ??= [
          { ALT: () => this.SUBRULE(this.duration) },
          {
            ALT: () => {
              const t = this.CONSUME(T.ParamTok);
              return this.ACTION(() => this.b.param(t));
            },
          },
        ]),
      ),
    { recoveryValueFunc: () => RECOVERED.duration },
  );

  /** `30 days`: a duration literal. */
  duration = this.RULE(
    "duration",
    (): DurationNode => {
      const num = this.CONSUME(T.NumberLit);
      const unit = this.CONSUME(T.Unit);
      return this.ACTION(() => this.b.duration(num, unit));
    },
    { recoveryValueFunc: () => RECOVERED.duration },
  );

  /** `["a", "b"]` (a trailing comma is allowed). */
  list = this.RULE(
    "list",
    (): ListNode => {
      const open = this.CONSUME(T.LBracket);
      const items: (LiteralNode | undefined)[] = [];
      this.OPTION(() => {
        items.push(this.SUBRULE(this.listItem));
        this.MANY(() => {
          this.CONSUME(T.Comma);
          items.push(this.SUBRULE2(this.listItem));
        });
        this.OPTION2(() => this.CONSUME2(T.Comma));
      });
      const close = this.CONSUME(T.RBracket);
      return this.ACTION(() => this.b.list(open, items, close));
    },
    { recoveryValueFunc: () => ({ kind: "list", items: [], span: RECOVERED.field.span }) as ListNode },
  );

  /** A literal: text, number, date, true or false. */
  listItem = this.RULE(
    "listItem",
    (): LiteralNode =>
      this.OR(
        (this.listItemAlts ??= [
          {
            ALT: () => {
              const t = this.CONSUME(T.StringLit);
              return this.ACTION(() => this.b.string(t));
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(T.NumberLit);
              return this.ACTION(() => this.b.number(t));
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(T.DateLit);
              return this.ACTION(() => this.b.date(t));
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(T.True);
              return this.ACTION(() => this.b.boolean(t, true));
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(T.False);
              return this.ACTION(() => this.b.boolean(t, false));
            },
          },
        ]),
      ),
    { recoveryValueFunc: recoverNothing<LiteralNode> },
  );

  listOrParam = this.RULE(
    "listOrParam",
    (): ListNode | ParamNode =>
      this.OR(
        (this.listOrParamAlts ??= [
          { ALT: () => this.SUBRULE(this.list) },
          {
            ALT: () => {
              const t = this.CONSUME(T.ParamTok);
              return this.ACTION(() => this.b.param(t));
            },
          },
        ]),
      ),
    { recoveryValueFunc: () => ({ kind: "list", items: [], span: RECOVERED.field.span }) as ListNode },
  );

  // -------------------------------------------------------------------------------------------
  // Rules files
  // -------------------------------------------------------------------------------------------

  /** Start rule of parseRules. `DefStart` is virtual: layout.ts puts one before each definition. */
  rulesFile = this.RULE("rulesFile", (): Definition[] => {
    const defs: Definition[] = [];
    this.MANY(() => {
      this.CONSUME(T.DefStart);
      defs.push(this.SUBRULE(this.definition));
    });
    return defs;
  }, { recoveryValueFunc: () => [] });

  definition = this.RULE(
    "definition",
    (): Definition =>
      this.OR([
        { ALT: () => this.SUBRULE(this.segmentDef) },
        { ALT: () => this.SUBRULE(this.scoreDef) },
        { ALT: () => this.SUBRULE(this.lifecycleDef) },
        { ALT: () => this.SUBRULE(this.tiersDef) },
        { ALT: () => this.SUBRULE(this.rfmDef) },
        { ALT: () => this.SUBRULE(this.channelDef) },
        { ALT: () => this.SUBRULE(this.splitDef) },
      ]),
    { recoveryValueFunc: recoverNothing<Definition> },
  );

  segmentDef = this.RULE("segmentDef", (): Definition => {
    const kw = this.CONSUME(T.Segment);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    const body = this.SUBRULE(this.orExpr);
    return this.ACTION(() => this.b.conditionDef("segment", kw, name, body, this.LA(0)));
  });

  /** `channel email: optinEmail and not unsubscribed`. */
  channelDef = this.RULE("channelDef", (): Definition => {
    const kw = this.CONSUME(T.Channel);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    const body = this.SUBRULE(this.orExpr);
    return this.ACTION(() => this.b.conditionDef("channel", kw, name, body, this.LA(0)));
  });

  /** `split spring by id [seed "s"]:` then `control 10%` lines. */
  splitDef = this.RULE("splitDef", (): Definition => {
    const kw = this.CONSUME(T.Split);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.By);
    const key = this.SUBRULE(this.path);
    let seed: IToken | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Seed);
      seed = this.CONSUME(T.StringLit);
    });
    this.CONSUME(T.Colon);
    const arms: SplitArmDraft[] = [];
    this.MANY(() => {
      this.CONSUME(T.LineBreak);
      arms.push(this.SUBRULE(this.armLine));
    });
    return this.ACTION(() => this.b.split(kw, name, key, seed, arms, this.LA(0)));
  });

  /** `control 10%`. */
  armLine = this.RULE(
    "armLine",
    (): SplitArmDraft => {
      const name = this.CONSUME(T.Name);
      const pct = this.CONSUME(T.NumberLit);
      const sign = this.CONSUME(T.Percent);
      return this.ACTION(() => this.b.splitArm(name, pct, sign, this.LA(0)));
    },
    { recoveryValueFunc: recoverNothing<SplitArmDraft> },
  );

  scoreDef = this.RULE("scoreDef", (): Definition => {
    const kw = this.CONSUME(T.Score);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    const items: ScoreItem[] = [];
    this.MANY(() => {
      this.CONSUME(T.LineBreak);
      items.push(this.SUBRULE(this.scoreItem));
    });
    return this.ACTION(() => this.b.score(kw, name, items, this.LA(0)));
  });

  scoreItem = this.RULE(
    "scoreItem",
    (): ScoreItem =>
      this.OR([{ ALT: () => this.SUBRULE(this.scoreLine) }, { ALT: () => this.SUBRULE(this.clampLine) }]),
    { recoveryValueFunc: recoverNothing<ScoreItem> },
  );

  /** `+20 if e`, `+5 per x max 25`, `+10 per P where (e) decaying 50% every 30 days by f`. */
  scoreLine = this.RULE("scoreLine", (): ScoreItem => {
    const pts = this.CONSUME(T.NumberLit);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.If);
          const cond = this.SUBRULE(this.orExpr);
          return this.ACTION(() => this.b.scoreIf(pts, cond, this.LA(0)));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Per);
          return this.SUBRULE(this.perTail, { ARGS: [pts] });
        },
      },
    ]);
  });

  perTail = this.RULE("perTail", (pts?: IToken): ScoreItem => {
    const value = this.SUBRULE(this.operand);
    return this.OR([
      {
        ALT: () => {
          let where: ExprNode | undefined;
          this.OPTION(() => {
            this.CONSUME(T.Where);
            this.CONSUME(T.LParen);
            where = this.SUBRULE(this.orExpr);
            this.CONSUME(T.RParen);
          });
          this.CONSUME(T.Decaying);
          const pct = this.CONSUME(T.NumberLit);
          const sign = this.CONSUME(T.Percent);
          this.CONSUME(T.Every);
          const every = this.SUBRULE(this.durationOrParam);
          this.CONSUME(T.By);
          const by = this.SUBRULE(this.path);
          return this.ACTION(() => this.b.scoreDecay(pts!, value, where, pct, sign, every, by, this.LA(0)));
        },
      },
      {
        ALT: () => {
          let max: IToken | undefined;
          this.OPTION2(() => {
            this.CONSUME(T.Max);
            max = this.CONSUME2(T.NumberLit);
          });
          return this.ACTION(() => this.b.scorePer(pts!, value, max, this.LA(0)));
        },
      },
    ]);
  });

  /** `clamp 0 to 100`. */
  clampLine = this.RULE("clampLine", (): ScoreItem => {
    const kw = this.CONSUME(T.Clamp);
    const a = this.CONSUME(T.NumberLit);
    this.CONSUME(T.To);
    const b = this.CONSUME2(T.NumberLit);
    return this.ACTION(() => this.b.clamp(kw, a, b, this.LA(0)));
  });

  lifecycleDef = this.RULE("lifecycleDef", (): Definition => {
    const kw = this.CONSUME(T.Lifecycle);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    const stages: StageLine[] = [];
    this.MANY(() => {
      this.CONSUME(T.LineBreak);
      stages.push(this.SUBRULE(this.stageLine));
    });
    return this.ACTION(() => this.b.lifecycle(kw, name, stages, this.LA(0)));
  });

  /** `awareness`, `evaluation if e`. */
  stageLine = this.RULE(
    "stageLine",
    (): StageLine => {
      const name = this.CONSUME(T.Name);
      let cond: ExprNode | undefined;
      this.OPTION(() => {
        this.CONSUME(T.If);
        cond = this.SUBRULE(this.orExpr);
      });
      return this.ACTION(() => this.b.stage(name, cond, this.LA(0)));
    },
    { recoveryValueFunc: recoverNothing<StageLine> },
  );

  tiersDef = this.RULE("tiersDef", (): Definition => {
    const kw = this.CONSUME(T.Tiers);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.By);
    const by = this.SUBRULE(this.operand);
    let quantiles = false;
    this.OPTION(() => {
      this.CONSUME(T.Quantiles);
      quantiles = true;
    });
    this.CONSUME(T.Colon);
    const lines: TierLineDraft[] = [];
    this.MANY(() => {
      this.CONSUME(T.LineBreak);
      lines.push(this.SUBRULE(this.tierLine));
    });
    return this.ACTION(() => this.b.tiers(kw, name, by, quantiles, lines, this.LA(0)));
  });

  /** `high if >= 100k`, `mid if between 10k and 100k`, `top 20%`, `low otherwise`. */
  tierLine = this.RULE(
    "tierLine",
    (): TierLineDraft => {
      const name = this.CONSUME(T.Name);
      let test: ThresholdTierLine["test"] | undefined;
      let pct: IToken | undefined;
      let sign: IToken | undefined;
      let otherwise: IToken | undefined;
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.If);
            test = this.SUBRULE(this.thresholdTest);
          },
        },
        {
          ALT: () => {
            pct = this.CONSUME(T.NumberLit);
            sign = this.CONSUME(T.Percent);
          },
        },
        {
          ALT: () => {
            otherwise = this.CONSUME(T.Otherwise);
          },
        },
      ]);
      return this.ACTION(() => this.b.tierLine(name, test, pct, sign, otherwise, this.LA(0)));
    },
    { recoveryValueFunc: recoverNothing<TierLineDraft> },
  );

  thresholdTest = this.RULE(
    "thresholdTest",
    (): ThresholdTierLine["test"] =>
      this.OR([
        {
          ALT: () => {
            const op = this.CONSUME(T.CompareOp);
            const v = this.SUBRULE(this.tierValue);
            return this.ACTION(() => this.b.thresholdTest(op, v));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Between);
            const low = this.SUBRULE2(this.tierValue);
            this.CONSUME(T.And);
            const high = this.SUBRULE3(this.tierValue);
            return this.ACTION(() => this.b.betweenTest(low, high));
          },
        },
      ]),
  );

  /** A threshold: a number, text in quotes, or a `$param`. */
  tierValue = this.RULE(
    "tierValue",
    (): ValueNode =>
      this.OR([
        {
          ALT: () => {
            const t = this.CONSUME(T.NumberLit);
            return this.ACTION(() => this.b.number(t));
          },
        },
        {
          ALT: () => {
            const t = this.CONSUME(T.StringLit);
            return this.ACTION(() => this.b.string(t));
          },
        },
        {
          ALT: () => {
            const t = this.CONSUME(T.ParamTok);
            return this.ACTION(() => this.b.param(t));
          },
        },
      ]),
    { recoveryValueFunc: recoverValue },
  );

  rfmDef = this.RULE("rfmDef", (): Definition => {
    const kw = this.CONSUME(T.Rfm);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    const lines: RfmLineDraft[] = [];
    this.MANY(() => {
      this.CONSUME(T.LineBreak);
      lines.push(this.SUBRULE(this.rfmLine));
    });
    return this.ACTION(() => this.b.rfm(kw, name, lines, this.LA(0)));
  });

  /** `recency lastPurchase`, `frequency count(…)`, `monetary sum(…)`. */
  rfmLine = this.RULE(
    "rfmLine",
    (): RfmLineDraft => {
      const word = this.CONSUME(T.RfmWord);
      const value = this.SUBRULE(this.operand);
      return this.ACTION(() => this.b.rfmLine(word, value, this.LA(0)));
    },
    { recoveryValueFunc: recoverNothing<RfmLineDraft> },
  );
}

