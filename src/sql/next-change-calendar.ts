/**
 * The SQL of `nextChangeToSQL` for calendar cutoffs (`now ± n months`, years as 12 months): the
 * instants at which "`c(t) >= v`" switches, `c(t)` computed as the evaluator computes it
 * (src/time/cutoffs.ts `shiftInstant`: date-fns `addMonths` in the zone, the day clamped to the
 * month's length, the wall-clock time kept).
 *
 * Calendar arithmetic is plain arithmetic on day numbers (Howard Hinnant's `days_from_civil` and
 * `civil_from_days`), the same text in every dialect: no `date_trunc`, `+ interval`, `addMonths`,
 * whose clamping and range differ between engines. The only thing read from the engine is the
 * zone's offset at an instant (its own time-zone database).
 *
 * In a zone, the cutoff is `I(S(W(t)))`: `W` the wall clock of `t`, `S` the month shift of a wall
 * clock, `I` the instant of a wall clock. The switches of "`S(x) >= u`" over wall clocks `x`, with
 * `u` the wall clock of `v`, are those of UTC ({@link calendarFlips}); each is then the instant at
 * which the wall clock reaches `x`. That is exact while the wall clocks involved are not in a
 * daylight-saving gap or overlap; there, the instant returned may be earlier, never later
 * (docs/time.md, "In SQL").
 * @internal
 */
import type { Span } from "../errors/diagnostic.js";
import type { SQLCompiler } from "./compiler.js";

const DAY = 86_400_000;

/**
 * The dialect's `bind`, except on PostgreSQL: a one-row derived table with `OFFSET 0`, which
 * PostgreSQL does not pull up into the outer query (pulled up, every reference is replaced by
 * its expression: nested binds grow exponentially, 25 s to plan for 50 rows, then out of memory).
 */
function bind(c: SQLCompiler, values: readonly (readonly [string, string])[], body: (refs: readonly string[]) => string, alias: string): string {
  if (c.d.name !== "postgres") return c.d.bind(values, body, alias);
  const cols = values.map(([name, sql]) => `${sql} AS ${c.d.quoteIdent(name)}`).join(", ");
  return `(SELECT ${body(values.map(([name]) => `${alias}.${c.d.quoteIdent(name)}`))} FROM (SELECT ${cols} OFFSET 0) AS ${alias})`;
}

/**
 * The month index (`year × 12 + month − 1`) of a day number (days since 1970-01-01, whole),
 * as SQL: `civil_from_days`.
 */
function monthOfDay(c: SQLCompiler, day: string, body: (month: string) => string): string {
  return bind(c, 
    [
      ["era", `floor((${day} + 719468) / 146097)`],
      ["doe", `(${day} + 719468 - floor((${day} + 719468) / 146097) * 146097)`],
    ],
    ([era, doe]) =>
      bind(c, 
        [["yoe", `floor((${doe} - floor(${doe} / 1460) + floor(${doe} / 36524) - floor(${doe} / 146096)) / 365)`]],
        ([yoe]) => {
          const doy = `(${doe} - (365 * ${yoe} + floor(${yoe} / 4) - floor(${yoe} / 100)))`;
          // March-based month 0–11, then back to a January-based index.
          return body(`((${era} * 400 + ${yoe}) * 12 + floor((5 * ${doy} + 2) / 153) + 2)`);
        },
        c.alias("_y"),
      ),
    c.alias("_e"),
  );
}

/** The day number of the first day of a month index (`days_from_civil`, day 1), as SQL; `month` is read several times. */
function firstDay(month: string): string {
  const y = `floor((${month} - 2) / 12)`; // March-based year
  const mp = `(${month} - 2 - 12 * ${y})`;
  const era = `floor(${y} / 400)`;
  const yoe = `(${y} - 400 * ${era})`;
  return `(${era} * 146097 + ${yoe} * 365 + floor(${yoe} / 4) - floor(${yoe} / 100) + floor((153 * ${mp} + 2) / 5) - 719468)`;
}

/**
 * Calls `each` with every wall clock `x` (epoch-like milliseconds, maybe NULL) at which
 * "`S(x) >= u`" switches, `S(x) = x + m` months (date-fns clamps the day to the month's length),
 * and returns the earliest of their results. Let `u` be day `d`, time `tau` of a month of length
 * `Lv`, and `A` (length `La`) the month `m` months before. Before `A`, `S(x)` is in an earlier
 * month than `u`; after `A`, in a later one. Within `A`, `S(x)` is `(min(D, Lv), time)`: it
 * reaches `u` on day `d` at `tau`, or, when `A` has no day `d`, at the first instant of the next
 * month. When `u` is on the last day of its month and `A` is longer, each later day of `A` starts
 * before `tau` (`S(x)` steps back to that last day, 00:00) and reaches `u` again at `tau`: up to
 * three more days, six more switches.
 */
export function calendarFlips(c: SQLCompiler, u: string, m: string, each: (x: string) => string): string {
  return bind(c, 
    [
      ["z", `floor(${u} / ${DAY})`],
      ["tau", `(${u} - floor(${u} / ${DAY}) * ${DAY})`],
    ],
    ([z, tau]) =>
      monthOfDay(c, z!, (month) =>
        bind(c, 
          [
            ["mi", month],
            ["m", m],
          ],
          ([mi, mm]) =>
            bind(c, 
              [
                ["m0", firstDay(mi!)],
                ["m1", firstDay(`(${mi} + 1)`)],
                ["sa", firstDay(`(${mi} - ${mm})`)],
                ["sb", firstDay(`(${mi} + 1 - ${mm})`)],
              ],
              ([m0, m1, sa, sb]) => {
                const d = `(${z} - ${m0} + 1)`;
                const lv = `(${m1} - ${m0})`;
                const la = `(${sb} - ${sa})`;
                const xs = [each(`CASE WHEN ${d} > ${la} THEN ${sb} * ${DAY} ELSE (${sa} + ${d} - 1) * ${DAY} + ${tau} END`)];
                for (let j = 1; j <= 3; j++) {
                  const day = `(${sa} + ${lv} + ${j - 1}) * ${DAY}`;
                  const when = `${d} = ${lv} AND ${tau} > 0 AND ${lv} + ${j} <= ${la}`;
                  xs.push(each(`CASE WHEN ${when} THEN ${day} END`), each(`CASE WHEN ${when} THEN ${day} + ${tau} END`));
                }
                return least(xs);
              },
              c.alias("_n"),
            ),
          c.alias("_m"),
        ),
      ),
    c.alias("_u"),
  );
}

/** The earliest of `xs` (SQL numbers, NULL ignored), NULL when all are. */
export function least(xs: readonly string[]): string {
  return xs.length === 1 ? xs[0]! : `least(${xs.join(", ")})`;
}

/**
 * The offset of `zone` from UTC (milliseconds, whole seconds) at the instant `ms` (epoch
 * milliseconds), from the engine's own time-zone database. ClickHouse formats the wall clock and
 * reads it back in UTC (its `timeZoneOffset` is wrong before 1970).
 */
export function zoneOffset(c: SQLCompiler, zone: string, ms: string): string {
  const s = `floor(${ms} / 1000)`;
  switch (c.d.name) {
    case "duckdb":
      return `((epoch(timezone(${zone}, to_timestamp(${s}))) - ${s}) * 1000)`;
    case "clickhouse":
      return `((toUnixTimestamp64Milli(toDateTime64(toString(toDateTime64(${s}, 0, ${zone})), 0, 'UTC')) / 1000 - ${s}) * 1000)`;
    default:
      return `((extract(epoch from (to_timestamp(${s}) AT TIME ZONE ${zone}))::float8 - ${s}) * 1000)`;
  }
}

/**
 * The instants (SQL, epoch ms, through `future`) at which "`c(t) >= v`" switches, `c(t)` the
 * instant `t` shifted by `m` calendar months in `zone` (a canonical IANA name; "UTC" needs no
 * offsets). See the module comment.
 *
 * @param v - the threshold, epoch milliseconds (SQL)
 * @param m - the number of months (SQL), negative for `ago`
 * @param now - `now`, epoch milliseconds (SQL)
 * @param future - keeps an instant after `now` that a `Date` can hold, NULL otherwise
 */
export function calendarSwitches(
  c: SQLCompiler,
  v: string,
  m: string,
  zone: string,
  now: string,
  span: Span,
  future: (x: string) => string,
): string {
  if (zone === "UTC") return calendarFlips(c, v, m, future);
  const z = c.text(zone, span);
  const off = (ms: string) => zoneOffset(c, z, ms);
  return bind(c, 
    [
      ["v", v],
      ["ov", off(v)],
      ["o1", off(`(${v} - ${DAY})`)],
      ["o2", off(`(${v} + ${DAY})`)],
    ],
    ([vv, ov, o1, o2]) => {
      // v within a day of an offset change: its wall clock may be in a gap or overlap (the set of
      // wall clocks whose instant reaches v is then not one half-line): each switch may come up
      // to the change's size earlier.
      const widen = (t: string) => `CASE WHEN ${o1} <> ${o2} AND ${t} + abs(${o1} - ${o2}) > ${now} THEN greatest(${now} + 1, ${t} - abs(${o1} - ${o2})) END`;
      return calendarFlips(c, `(${vv} + ${ov})`, m, (x) =>
        bind(c, 
          [
            ["x", x],
            ["ob", off(`(${x} - ${DAY})`)],
            ["oa", off(`(${x} + ${DAY})`)],
          ],
          ([xx, ob, oa]) => {
            // The instant at which the wall clock reaches x: x − offset when one offset fits;
            // in a gap (none fits: the wall clock jumps over x at the change) or an overlap (both:
            // it passes x twice), the earliest instant it may be, x − the larger offset. The
            // offsets are compared only near a change (a ClickHouse query has at most 50,000
            // syntax nodes: each test is written once).
            const fits = (o: string) => `CASE WHEN ${ob} = ${oa} THEN 1 WHEN ${off(`(${xx} - ${o})`)} = ${o} THEN 1 ELSE 0 END`;
            return bind(
              c,
              [
                ["fb", fits(ob!)],
                ["fa", fits(oa!)],
              ],
              ([fb, fa]) => {
                const t =
                  `CASE WHEN ${fb} = 1 AND ${fa} = 0 THEN ${xx} - ${ob} WHEN ${fa} = 1 AND ${fb} = 0 THEN ${xx} - ${oa} ` +
                  `WHEN ${ob} = ${oa} THEN ${xx} - ${ob} ` +
                  `WHEN ${xx} - least(${ob}, ${oa}) > ${now} THEN greatest(${now} + 1, ${xx} - greatest(${ob}, ${oa})) END`;
                return bind(c, [["t", t]], ([tt]) => least([future(tt!), future(widen(tt!))]), c.alias("_t"));
              },
              c.alias("_f"),
            );
          },
          c.alias("_x"),
        ),
      );
    },
    c.alias("_v"),
  );
}
