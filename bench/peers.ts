/**
 * Adapters: each engine compiles a {@link BenchRule} once into a synchronous or asynchronous
 * predicate over one contact. Peers get precomputed cutoffs and two derived fields
 * (`lastPurchaseMs`, `hasPurchase`, added to every record by the runner) because they have no
 * calendar arithmetic and most cannot compare Date objects.
 */
import celPkg from "@marcbachmann/cel-js";
import { compileExpression as filtrexCompile } from "filtrex";
import jexl from "jexl";
import jsonLogic from "json-logic-js";
import { Engine } from "json-rules-engine";
import { Query } from "mingo";
import * as siftModule from "sift";
import type { Contact } from "./data.js";
import type { BenchRule, Cutoffs } from "./rules.js";

export type SyncPredicate = (c: Contact) => boolean;
export type AsyncPredicate = (c: Contact) => Promise<boolean>;

export interface Peer {
  name: string;
  /** Slow engines are timed on a slice of the data (ratios are per record, so still comparable). */
  slow?: boolean;
  build(rule: BenchRule, cut: Cutoffs): SyncPredicate | AsyncPredicate;
  async?: boolean;
}

// sift is CommonJS with a default export: unwrap it the same way under tsx and plain Node.
const sift = ((siftModule as unknown as { default?: unknown }).default ?? siftModule) as (q: unknown) => SyncPredicate;
const celParse = (celPkg as unknown as { parse: (s: string) => (ctx: unknown) => unknown }).parse;

export const PEERS: Peer[] = [
  {
    name: "json-logic-js",
    build: (rule, cut) => {
      const logic = rule.jsonLogic(cut);
      return (c) => jsonLogic.apply(logic, c) === true;
    },
  },
  {
    name: "jexl",
    build: (rule, cut) => {
      const expr = jexl.compile(rule.jexl);
      const ctx = { ...cutoffNumbers(cut) } as Record<string, unknown>;
      return (c) => expr.evalSync(Object.assign(ctx, c)) === true;
    },
  },
  {
    name: "filtrex",
    build: (rule, cut) => {
      const fn = filtrexCompile(rule.filtrex);
      const extra = cutoffNumbers(cut);
      return (c) => fn({ ...c, ...extra }) === true;
    },
  },
  {
    name: "@marcbachmann/cel-js",
    build: (rule, cut) => {
      const fn = celParse(rule.cel);
      const ctx: Record<string, unknown> = { ...cutoffNumbers(cut), c: null };
      return (c) => {
        ctx.c = c;
        return fn(ctx) === true;
      };
    },
  },
  {
    name: "sift",
    build: (rule, cut) => sift(rule.mongo(cut)),
  },
  {
    name: "mingo",
    build: (rule, cut) => {
      const q = new Query(rule.mongo(cut));
      return (c) => q.test(c);
    },
  },
  {
    name: "json-rules-engine",
    slow: true,
    async: true,
    build: (rule, cut) => {
      const engine = new Engine([], { allowUndefinedFacts: true });
      engine.addRule({ conditions: rule.rulesEngine(cut) as never, event: { type: "match" } });
      return async (c) => (await engine.run(c as never)).events.length > 0;
    },
  },
];

function cutoffNumbers(cut: Cutoffs) {
  return { sixMonthsAgo: cut.sixMonthsAgo.getTime(), thirtyDaysAgo: cut.thirtyDaysAgo.getTime() };
}
