/**
 * RFM models: recency, frequency and monetary quintiles over a batch of records, and the named
 * RFM segment of each record.
 * @internal
 */
import type { RfmDef } from "../../ast/nodes.js";
import { compileValue, createRun } from "../../compile/index.js";
import { type RfmSegmentName, quintiles, recencyQuintiles, rfmSegmentName } from "../rfm.js";
import type { RfmAssignment, RfmScore } from "../types.js";
import { type Builder, compileOptions, paramsOf } from "./env.js";

const DAY_MS = 86_400_000;

/** Builds an RFM definition (no per-record value: it ranks a population). */
export const buildRfm: Builder<RfmDef> = (def, env, out) => {
  const params = paramsOf(env, def.name);
  const options = compileOptions(env, def.name);
  const recency = compileValue(def.recency, env.model, options);
  const frequency = compileValue(def.frequency, env.model, options);
  const monetary = compileValue(def.monetary, env.model, options);
  const isDate = env.plan.valueKinds.get(def.name) === "date";
  // ±Infinity is a number: it ranks at the ends (NaN is unknown).
  const num = (v: unknown) => (typeof v === "number" && v === v ? v : null);
  out.rfm[def.name] = {
    name: def.name,
    assign(records, ctx): RfmAssignment {
      const run = createRun(ctx, params);
      const ages: (number | null)[] = [];
      const fs: (number | null)[] = [];
      const ms: (number | null)[] = [];
      for (const r of records) {
        const rv = num(recency(r, run));
        // A date is turned into an age in days; a number already is an age.
        const age = rv === null ? null : isDate ? (run.nowMs - rv) / DAY_MS : rv;
        ages.push(age);
        // Frequency and monetary are ranked among the records that have an RFM score.
        fs.push(age === null ? null : num(frequency(r, run)));
        ms.push(age === null ? null : num(monetary(r, run)));
      }
      const R = recencyQuintiles(ages);
      const F = quintiles(fs);
      const M = quintiles(ms);
      const scores: (RfmScore | null)[] = [];
      const names: (RfmSegmentName | null)[] = [];
      for (let i = 0; i < records.length; i++) {
        const r = R.scores[i];
        const f = F.scores[i];
        const m = M.scores[i];
        scores.push(r && f && m ? { r, f, m } : null);
        names.push(r && f ? rfmSegmentName(r, f) : null);
      }
      return { scores, names, cuts: { recency: R.cuts, frequency: F.cuts, monetary: M.cuts } };
    },
  };
  return {};
};
