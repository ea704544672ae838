/**
 * The campaign part of the benchmark (docs/rules.md, "Channels", "Splits", `analyze`):
 *
 * - a split's arm (our MD5 of `<seed>:<key>` against exact bounds) against a hand-written
 *   assignment with Node's `node:crypto` MD5 on the same text (what a host would write);
 * - `analyze` over the rules file of rules-file.ts plus a channel and a split (sizes, overlaps,
 *   reach, coverage, arms) against one `rules.evaluate` per record: what the report adds to
 *   evaluating every definition once.
 */
import { createHash } from "node:crypto";
import { Contact, type Contact as ContactRecord } from "./data.js";
import { rulesFileSource } from "./rules-file.js";
import { median, timeNs } from "./stats.js";

const CAMPAIGN = `
channel email:
  not unsubscribed and emailClicks30d >= 0

split spring by id:
  control 10%
  a 45%
  b 45%
`;

type AnyRules = {
  splits: Record<string, { arm(r: unknown, ctx?: unknown): string | null }>;
  evaluate(r: unknown, ctx?: unknown): unknown;
};

/** The assignment a host would write by hand with node:crypto (same bounds, same text). */
function handArm(id: number): string {
  const h = parseInt(createHash("md5").update(`spring:${id}`, "utf8").digest("hex").slice(0, 8), 16);
  return h < 429496730 ? "control" : h < 2362232013 ? "a" : "b";
}

export function benchCampaign(
  compileRules: (source: string, schema: typeof Contact) => unknown,
  analyze: (rules: unknown, records: readonly unknown[], ctx?: unknown) => unknown,
  records: ContactRecord[],
  ctx: { now: Date },
  rounds: number,
) {
  const rules = compileRules(rulesFileSource() + CAMPAIGN, Contact) as AnyRules;
  const split = rules.splits.spring!;
  // The hand-written bounds are ⌈10% · 2^32⌉ and ⌈55% · 2^32⌉: check they agree before timing.
  for (const r of records.slice(0, 1000)) {
    if (split.arm(r, ctx) !== handArm(r.id)) throw new Error(`bench: split arms disagree on id ${r.id}`);
  }
  let sink = 0;
  const ours = () => {
    for (const r of records) sink += split.arm(r, ctx)!.length;
  };
  const hand = () => {
    for (const r of records) sink += handArm(r.id).length;
  };
  const evaluate = () => {
    for (const r of records) rules.evaluate(r, ctx);
  };
  const report = () => void analyze(rules, records, ctx);
  // One untimed run of each first, so that no measurement includes compiling the code it runs.
  for (const f of [ours, hand, evaluate, report]) f();
  const s = { ours: [] as number[], hand: [] as number[], evaluate: [] as number[], analyze: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    s.ours.push(timeNs(ours) / records.length);
    s.hand.push(timeNs(hand) / records.length);
    s.evaluate.push(timeNs(evaluate) / records.length);
    s.analyze.push(timeNs(report) / records.length);
  }
  if (sink < 0) throw new Error("unreachable");
  const armNs = median(s.ours);
  const handArmNs = median(s.hand);
  const evaluateNs = median(s.evaluate);
  const analyzeNs = median(s.analyze);
  return { armNs, handArmNs, armRatio: handArmNs / armNs, evaluateNs, analyzeNs, analyzeRatio: analyzeNs / evaluateNs };
}
