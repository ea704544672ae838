/**
 * A rules file and a population made for the scheduler's replay law at 10,000 contacts
 * (test/rules/next-change-replay.test.ts).
 *
 * Why not the demo file: the law's oracle is a full re-evaluation of everyone at every day
 * boundary, 10,000 × 366 `rules.evaluate` calls. On examples/b2b-france.cible one call costs
 * about 43 µs (160 s for the year); this file keeps one definition per time-driven kind the
 * scheduler must follow and costs about 7 µs (measured on a loaded machine). Not chosen: the
 * oracle on DuckDB through `rulesToSQL`, one query per day (option (b) of the task): it would
 * have to write each day's stages back as the previous-stage column, and its decaying score is
 * the database's `power()`, whose last bit may differ from JavaScript's right at a threshold, so
 * it is not exact by construction; not tried.
 *
 * The kinds covered, one definition each (the file below says which):
 * calendar months and years in Europe/Paris (month ends, daylight saving), `within last`,
 * `N units from now`, a count and a sum over events in windows, `@references`, a channel whose
 * consent expires, a monotonic lifecycle (previous stages from the scheduler's store), threshold
 * tiers over a window and over a decaying score, and a decaying score compared with a number.
 *
 * The population's dates are drawn near the instants at which the file's cutoffs cross them
 * during the replayed year (a day boundary minus a duration of the file, give or take a
 * millisecond, an hour or a few days), near month ends and near the daylight-saving changes, so that
 * memberships actually change during the year.
 */
import { TZDate } from "@date-fns/tz";
import { subMonths, subYears } from "date-fns";
import fc from "fast-check";
import { z } from "zod";

export const REPLAY_ZONE = "Europe/Paris";
/**
 * The first day boundary. Day boundaries fall at 00:30 UTC (01:30 or 02:30 in Paris): on
 * 25 October 2026 that is inside the hour Paris lives twice (02:00–03:00, 00:00–02:00 UTC).
 */
export const REPLAY_START = Date.parse("2026-01-01T00:30:00Z");
export const REPLAY_DAYS = 365;

const H = 3_600_000;
const D = 86_400_000;

/** The contacts' schema. */
export const ReplayContact = z.object({
  id: z.string(),
  sector: z.enum(["santé", "finance", "industrie"]).nullable(),
  lastVisit: z.date().nullable(),
  lastPurchase: z.date().nullable(),
  renewalDate: z.date().optional(),
  optin: z.boolean().nullable(),
  unsubscribed: z.boolean(),
  consentDate: z.date().nullable(),
  events: z.array(z.object({ type: z.enum(["visit", "webinar"]), at: z.date() })),
  purchases: z.array(z.object({ amount: z.number(), date: z.date() })),
});
export type ReplayContact = z.infer<typeof ReplayContact>;

/** The rules file: one definition per time-driven kind (the comments name it). */
export const REPLAY_RULES = `
# calendar months in Europe/Paris: month ends step the cutoff back, so does the end of summer time
segment buyers:
  lastPurchase < 6 months

# within last (exact days)
segment visitors:
  lastVisit within last 30 days

# a count over events in a window
segment engaged:
  count(events where at within last 8 weeks) >= 2

# a sum over purchases in a window (exact days) and a fixed sector
segment spenders:
  sector = "santé" and sum(purchases.amount where date within last 90 days) >= 300

# N units from now (future dates)
segment renewing:
  renewalDate < 60 days from now and renewalDate > 1 week ago

# references, with a decaying score compared with a number
segment hot:
  @engagement >= 5

segment warm:
  (@buyers or @visitors) and not @hot and not @spenders

score engagement:
  +10 per events where (type = "visit") decaying 50% every 30 days by at

# consent that expires
channel email:
  optin and not unsubscribed and consentDate > 3 years ago

# monotonic stages: previous stages come from the scheduler's store
lifecycle journey:
  lead
  engaged  if @visitors or @engagement > 4
  customer if any purchases where (date within last 365 days)
  loyal    if count(purchases where date within last 365 days) >= 2

# threshold tiers over a window, and over the decaying score
tiers value by sum(purchases.amount where date within last 365 days):
  high   if >= 1000
  medium if >= 200
  low    otherwise

tiers heat by @engagement:
  hot  if >= 8
  warm if > 2
  cold otherwise
`;

/** The durations the file compares dates with: exact ones in ms, calendar ones in months. */
const CUTOFFS: readonly ({ ms: number } | { months: number })[] = [
  { months: 6 },
  { ms: 30 * D },
  { ms: 90 * D },
  { ms: -60 * D },
  { ms: 7 * D },
  { ms: 56 * D },
  { months: 36 },
  { ms: 365 * D },
  { ms: 0 },
];

/** `boundary − cutoff`, with the evaluator's calendar (date-fns in the zone) for months. */
function minus(boundary: number, c: { ms: number } | { months: number }): number {
  if ("ms" in c) return boundary - c.ms;
  const local = new TZDate(boundary, REPLAY_ZONE);
  return (c.months % 12 === 0 ? subYears(local, c.months / 12) : subMonths(local, c.months)).getTime();
}

/** A date whose crossing of one of the file's cutoffs falls in the year, near a day boundary. */
const nearCutoff = fc
  .record({
    day: fc.integer({ min: -3, max: REPLAY_DAYS + 3 }),
    cutoff: fc.constantFrom(...CUTOFFS),
    jitter: fc.oneof(
      fc.constantFrom(0, -1, 1, -H, H, 30 * 60_000, -30 * 60_000),
      fc.integer({ min: -D, max: D }),
      fc.integer({ min: -5 * D, max: 5 * D }),
    ),
  })
  .map(({ day, cutoff, jitter }) => minus(REPLAY_START + day * D, cutoff) + jitter);

/** Month ends (28 to 31, and 1st) and the daylight-saving hours, in the year and the ones before it. */
const special = fc
  .record({
    year: fc.integer({ min: 2022, max: 2026 }),
    month: fc.integer({ min: 0, max: 11 }),
    day: fc.constantFrom(28, 29, 30, 31, 1),
    ms: fc.integer({ min: 0, max: D - 1 }),
  })
  .map(({ year, month, day, ms }) => Date.UTC(year, month, day) + ms);
const dst = fc
  .record({
    at: fc.constantFrom("2025-03-30T01:00:00Z", "2025-10-26T01:00:00Z", "2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z"),
    shift: fc.integer({ min: -2 * H, max: 2 * H }),
  })
  .map(({ at, shift }) => Date.parse(at) + shift);

/** Anywhere from four years before the year to half a year after it. */
const anywhere = fc.integer({ min: REPLAY_START - 4 * 365 * D, max: REPLAY_START + 548 * D });

const date = fc
  .oneof({ weight: 4, arbitrary: nearCutoff }, { weight: 2, arbitrary: special }, { weight: 1, arbitrary: dst }, { weight: 3, arbitrary: anywhere })
  .map((t) => new Date(t));

const contact = fc.record({
  sector: fc.constantFrom("santé", "santé", "finance", "industrie", null),
  lastVisit: fc.option(date, { nil: null, freq: 6 }),
  lastPurchase: fc.option(date, { nil: null, freq: 6 }),
  renewalDate: fc.option(date, { nil: undefined, freq: 3 }),
  optin: fc.constantFrom(true, true, true, false, null),
  unsubscribed: fc.constantFrom(false, false, false, false, true),
  consentDate: fc.option(date, { nil: null, freq: 8 }),
  events: fc.array(fc.record({ type: fc.constantFrom("visit" as const, "visit" as const, "webinar" as const), at: date }), { maxLength: 3 }),
  purchases: fc.array(fc.record({ amount: fc.constantFrom(50, 150, 400, 900), date }), { maxLength: 3 }),
});

/**
 * `n` contacts, the same for the same seed.
 *
 * @example
 * const contacts = replayContacts(10_000, 21);
 */
export function replayContacts(n: number, seed: number): ReplayContact[] {
  return fc.sample(contact, { seed, numRuns: n }).map((c, i) => ({ id: `c${i}`, ...c }) as ReplayContact);
}
