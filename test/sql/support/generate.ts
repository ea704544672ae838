/**
 * A small seeded generator of accounts (records with nested child lists) and of well-typed rules
 * over them, for the differential tests. Local to test/sql: `cible/testing` did not exist when
 * these tests were written. Text is Latin (French and others), the scope docs/sql.md promises.
 */
import { z } from "zod";
import { dayStart, nextDayStart, shiftInstant } from "../../../src/time/cutoffs.js";
import type { ToSQLOptions } from "../../../src/sql/types.js";

// ---------------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------------

/** mulberry32: small, fast, seeded. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  some<T>(xs: readonly T[], lo: number, hi: number): T[] {
    const n = this.int(lo, hi);
    return Array.from({ length: n }, () => this.pick(xs));
  }
}

// ---------------------------------------------------------------------------------------------
// The schema and its layout
// ---------------------------------------------------------------------------------------------

const Grade = z.enum(["F", "D", "C", "B", "A"]).meta({ ordered: true });
const Seniority = z.enum(["junior", "confirmé", "senior", "expert"]).meta({ ordered: true });

export const Account = z.object({
  id: z.number().int(),
  name: z.string().nullable(),
  sector: z.enum(["santé", "finance", "industrie", "retail"]).nullable(),
  grade: Grade.nullable(),
  employees: z.number().int().nullable(),
  revenue: z.number().nullable(),
  active: z.boolean().nullable(),
  lastPurchase: z.date().nullable(),
  renewal: z.date().nullable(),
  hq: z.object({ country: z.string().nullable(), city: z.string().nullable() }).nullable(),
  tags: z.array(z.string().nullable()).nullable(),
  scores: z.array(z.number().nullable()).nullable(),
  visits: z.array(z.date().nullable()).nullable(),
  contacts: z
    .array(
      z.object({
        name: z.string().nullable(),
        role: z.enum(["CEO", "CTO", "CMO", "DG", "dev"]).nullable(),
        seniority: Seniority.nullable(),
        score: z.number().nullable(),
        optIn: z.boolean().nullable(),
        events: z
          .array(
            z.object({
              type: z.enum(["webinar", "démo", "visit"]).nullable(),
              at: z.date().nullable(),
              value: z.number().nullable(),
            }),
          )
          .nullable(),
      }),
    )
    .nullable(),
  purchases: z
    .array(z.object({ amount: z.number().nullable(), date: z.date().nullable(), channel: z.enum(["web", "store"]).nullable() }))
    .nullable(),
});

export type AccountRecord = z.output<typeof Account>;

/** The layout options the tests load data with and compile rules with. */
export const LAYOUT = {
  table: "accounts",
  columns: { lastPurchase: "last_purchase", "hq.country": "country" },
  children: {
    contacts: {
      table: "contacts",
      foreignKey: "account_id",
      key: "id",
      children: { events: { table: "events", foreignKey: "contact_id", key: "id" } },
    },
    purchases: { table: "purchases", foreignKey: "account_id" },
  },
} as const satisfies Pick<ToSQLOptions, "table" | "columns" | "children">;

// ---------------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------------

export const NOWS = [Date.UTC(2026, 10, 22, 10, 30), Date.UTC(2026, 7, 31, 22, 15), Date.UTC(2026, 2, 29, 1, 30)];
export const ZONES = ["UTC", "Europe/Paris", "America/New_York"];
const UNITS = ["minute", "hour", "day", "week", "month", "year"] as const;
const DURATIONS: readonly [number, (typeof UNITS)[number]][] = [
  [30, "day"], [6, "month"], [1, "year"], [2, "week"], [12, "hour"], [3, "month"], [90, "minute"], [18, "month"],
];
const DAYS = ["2026-11-22", "2026-03-29", "2025-10-26", "2026-08-31", "2024-02-29", "2026-01-01"];
const INSTANTS = ["2026-11-20T10:00:00Z", "2026-03-29T01:30:00+01:00", "2026-08-31T12:00", "2025-12-31T23:59:59.999Z"];

/** Instants a rule may compare with exactly: cutoffs, day bounds, and their neighbours. */
function specialInstants(): number[] {
  const out = new Set<number>();
  for (const now of NOWS) {
    for (const zone of ZONES) {
      out.add(now);
      for (const [a, u] of DURATIONS) {
        out.add(shiftInstant(now, a, u, "ago", zone));
        out.add(shiftInstant(now, a, u, "fromNow", zone));
      }
    }
  }
  for (const zone of ZONES) {
    for (const d of DAYS) {
      out.add(dayStart(d, zone));
      out.add(nextDayStart(d, zone));
    }
  }
  out.add(Date.parse("2026-11-20T10:00:00Z"));
  const all = [...out].filter((t) => t === t);
  return all.flatMap((t) => [t - 1, t, t + 1]);
}

const SPECIAL = specialInstants();

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

/** Latin text: accents (precomposed and decomposed), case, SQL metacharacters. */
export const TEXTS = [
  "Santé Plus", "SANTE", "sante", "Sante\u0301 Mutuelle", "École Centrale", "ecole", "Œuvre", "straße", "STRASSE", "Ørsted",
  "100% bio", "50_50", "O'Brien", "x--y", "a;b", "back\\slash", "", "Ärzte GmbH", "İstanbul", "ǅemal", "Ångström", "naïve café",
  "Crème brûlée", "ÇA VA", 'A"B', "Łódź", "Cafe\u0301", "Ñandú", "Đà Nẵng", "Dvořák", "$1", "Ω", "ﬁnance",
];
const TAGS = ["crm", "CRM", "erp", "santé", "Sante\u0301", "%", "a_b", null];

function date(r: Rng, nullable = 0.15): Date | null {
  if (r.chance(nullable)) return null;
  if (r.chance(0.5)) return new Date(r.pick(SPECIAL));
  return new Date(Date.UTC(2023, 0, 1) + Math.floor(r.next() * 5 * 365 * 86_400_000));
}

function maybe<T>(r: Rng, p: number, f: () => T): T | null {
  return r.chance(p) ? null : f();
}

/**
 * Accounts. With `dirty`, some values are of the wrong type, NaN or invalid dates: the evaluator
 * reads them as unknown, and the loader stores them as NULL.
 */
export function accounts(r: Rng, n: number, dirty: boolean): AccountRecord[] {
  const out: AccountRecord[] = [];
  for (let i = 1; i <= n; i++) {
    const rec: Record<string, unknown> = {
      id: i,
      name: maybe(r, 0.1, () => r.pick(TEXTS)),
      sector: maybe(r, 0.15, () => r.pick(["santé", "finance", "industrie", "retail", "sante\u0301"])),
      grade: maybe(r, 0.15, () => r.pick(["F", "D", "C", "B", "A"])),
      employees: maybe(r, 0.1, () => r.pick([0, 1, 49, 50, 51, 250, 1000, 4999, 5000, r.int(0, 10_000)])),
      revenue: maybe(r, 0.15, () => r.int(-400, 40_000) / 4),
      active: maybe(r, 0.2, () => r.chance(0.5)),
      lastPurchase: date(r),
      renewal: date(r, 0.3),
      hq: r.chance(0.1)
        ? null
        : { country: maybe(r, 0.2, () => r.pick(["FR", "BE", "fr", "DE", "CH", "É"])), city: maybe(r, 0.2, () => r.pick(TEXTS)) },
      tags: maybe(r, 0.15, () => r.some(TAGS, 0, 4)),
      scores: maybe(r, 0.15, () => r.some([0, 1, 2.5, 5, 10, -3, 50, 100, null], 0, 4)),
      visits: maybe(r, 0.2, () => Array.from({ length: r.int(0, 3) }, () => date(r, 0.1))),
      contacts: maybe(r, 0.1, () =>
        Array.from({ length: r.int(0, 3) }, () => ({
          name: maybe(r, 0.15, () => r.pick(TEXTS)),
          role: maybe(r, 0.15, () => r.pick(["CEO", "CTO", "CMO", "DG", "dev"])),
          seniority: maybe(r, 0.15, () => r.pick(["junior", "confirmé", "senior", "expert"])),
          score: maybe(r, 0.15, () => r.int(-5, 100)),
          optIn: maybe(r, 0.2, () => r.chance(0.5)),
          events: maybe(r, 0.15, () =>
            Array.from({ length: r.int(0, 3) }, () => ({
              type: maybe(r, 0.15, () => r.pick(["webinar", "démo", "visit"])),
              at: date(r),
              value: maybe(r, 0.2, () => r.int(0, 40) / 2),
            })),
          ),
        })),
      ),
      purchases: maybe(r, 0.1, () =>
        Array.from({ length: r.int(0, 4) }, () => ({
          amount: maybe(r, 0.15, () => r.int(0, 4000) / 2),
          date: date(r),
          channel: maybe(r, 0.15, () => r.pick(["web", "store"])),
        })),
      ),
    };
    if (dirty && r.chance(0.3)) {
      const k = r.pick(["employees", "revenue", "lastPurchase", "sector", "grade", "active", "name"]);
      rec[k] = r.pick([NaN, "12", new Date(NaN), 42, "not an enum", {}, [], undefined, Infinity]);
    }
    out.push(rec as AccountRecord);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

type Kind = "number" | "text" | "enum" | "ordered" | "bool" | "date" | "tags" | "scores" | "dates" | "list";

interface FieldInfo {
  readonly path: string;
  readonly kind: Kind;
  readonly values?: readonly string[];
  /** For `list`: the element scope's fields. */
  readonly element?: Scope;
}

interface Scope {
  readonly fields: readonly FieldInfo[];
}

const eventScope: Scope = {
  fields: [
    { path: "type", kind: "enum", values: ["webinar", "démo", "visit"] },
    { path: "at", kind: "date" },
    { path: "value", kind: "number" },
  ],
};
const contactScope: Scope = {
  fields: [
    { path: "name", kind: "text" },
    { path: "role", kind: "enum", values: ["CEO", "CTO", "CMO", "DG", "dev"] },
    { path: "seniority", kind: "ordered", values: ["junior", "confirmé", "senior", "expert"] },
    { path: "score", kind: "number" },
    { path: "optIn", kind: "bool" },
    { path: "events", kind: "list", element: eventScope },
  ],
};
const purchaseScope: Scope = {
  fields: [
    { path: "amount", kind: "number" },
    { path: "date", kind: "date" },
    { path: "channel", kind: "enum", values: ["web", "store"] },
  ],
};
const rootScope: Scope = {
  fields: [
    { path: "name", kind: "text" },
    { path: "sector", kind: "enum", values: ["santé", "finance", "industrie", "retail"] },
    { path: "grade", kind: "ordered", values: ["F", "D", "C", "B", "A"] },
    { path: "employees", kind: "number" },
    { path: "revenue", kind: "number" },
    { path: "active", kind: "bool" },
    { path: "lastPurchase", kind: "date" },
    { path: "renewal", kind: "date" },
    { path: "hq.country", kind: "text" },
    { path: "hq.city", kind: "text" },
    { path: "tags", kind: "tags" },
    { path: "scores", kind: "scores" },
    { path: "visits", kind: "dates" },
    { path: "contacts", kind: "list", element: contactScope },
    { path: "purchases", kind: "list", element: purchaseScope },
  ],
};

const LITERALS = [
  "santé", "SANTE", "é", "ecole", "École", "%", "_", "50_", "'", "--", ";", "\\", "o'b", "ÇA", "ça", "", "strasse", "straße",
  "ørsted", "ØRSTED", "bio", "crème", "cafe", "$1", 'A"B', "lodz", "Łódź", "istanbul", "e\u0301", "ﬁ", "fi", "nandu", "da nang",
];

export function quote(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

const dur = ([a, u]: readonly [number, string]) => `${a} ${u}${a === 1 ? "" : "s"}`;

/** A generated rule with the parameter values it needs. */
export interface GeneratedRule {
  readonly source: string;
  readonly params: Record<string, unknown>;
}

/** Visible fields: the innermost scope first; a name an inner scope declares hides outer ones. */
function visible(scopes: readonly Scope[]): FieldInfo[] {
  const seen = new Set<string>();
  const out: FieldInfo[] = [];
  for (const s of scopes) {
    for (const f of s.fields) {
      const head = f.path.split(".")[0]!;
      if (seen.has(f.path) || (scopes[0] !== s && scopes[0]!.fields.some((g) => g.path.split(".")[0] === head))) continue;
      seen.add(f.path);
      out.push(f);
    }
  }
  return out;
}

export class RuleGen {
  private params: Record<string, unknown> = {};
  private pcount = 0;
  constructor(private readonly r: Rng) {}

  rule(): GeneratedRule {
    this.params = {};
    this.pcount = 0;
    const source = this.expr(3, [rootScope]);
    return { source, params: this.params };
  }

  /**
   * A rules file using every kind of score rule, a lifecycle, threshold tiers and references:
   * segments `a`, `b`, `c`, score `s`, lifecycle `stage`, tiers `value`.
   */
  rulesFile(): GeneratedRule {
    this.params = {};
    this.pcount = 0;
    const r = this.r;
    const e = () => this.expr(2, [rootScope]);
    const pe = () => this.expr(1, [purchaseScope, rootScope]);
    const ce = () => this.expr(1, [eventScope, contactScope, rootScope]);
    // The period as a literal or as a duration parameter (`every $p1`, issue 12, item 6).
    const every = () => {
      const d = r.pick(["30 days", "2 weeks", "1 year", "1 minute"]);
      return r.next() < 0.5 ? d : this.param(r.next() < 0.5 ? d : { amount: Number(d.split(" ")[0]), unit: d.split(" ")[1]!.replace(/s$/, "") });
    };
    const source = [
      "segment a:",
      `  ${e()}`,
      "segment b:",
      `  @a or ${e()}`,
      "score s:",
      `  +${r.int(1, 30)} if ${e()}`,
      `  -${r.int(1, 30)} if @b`,
      `  +${r.int(1, 5)} per employees max ${r.int(10, 60)}`,
      `  +${r.int(1, 4)} per count(contacts)`,
      `  +${r.int(1, 20)} per purchases where (${pe()}) decaying ${r.pick([10, 50, 100])}% every ${every()} by date`,
      // Every event of every contact, flattened (issue 12, item 8).
      `  +${r.int(1, 10)} per contacts.events where (${ce()}) decaying ${r.pick([10, 50, 100])}% every ${every()} by at`,
      `  clamp -20 to ${r.int(20, 80)}`,
      "tiers value by sum(purchases.amount):",
      "  high if >= 2000",
      "  mid if between 500 and 1999.5",
      "  low otherwise",
      "lifecycle stage:",
      "  cold",
      `  warm if ${e()}`,
      `  hot if @s >= ${r.int(0, 40)} and ${e()}`,
      '  won if @value = "high"',
      "segment c:",
      '  @stage >= "warm" and not @a',
    ].join("\n");
    return { source, params: this.params };
  }

  private param(value: unknown): string {
    const name = `p${++this.pcount}`;
    this.params[name] = value;
    return `$${name}`;
  }

  expr(depth: number, scopes: readonly Scope[]): string {
    const r = this.r;
    const x = r.next();
    if (depth > 0 && x < 0.3) {
      const op = r.pick(["and", "or"]);
      const parts = Array.from({ length: r.int(2, 3) }, () => this.expr(depth - 1, scopes));
      return `(${parts.join(` ${op} `)})`;
    }
    if (depth > 0 && x < 0.4) return `not (${this.expr(depth - 1, scopes)})`;
    const lists = visible(scopes).filter((f) => f.kind === "list");
    if (depth > 0 && x < 0.52 && lists.length) {
      const l = r.pick(lists);
      return `${r.pick(["any", "all", "none"])} ${l.path} where (${this.expr(depth - 1, [l.element!, ...scopes])})`;
    }
    return this.predicate(scopes, depth);
  }

  private predicate(scopes: readonly Scope[], depth: number): string {
    const r = this.r;
    const fields = visible(scopes);
    const f = r.pick(fields);
    const same = (k: Kind) => fields.filter((g) => g.kind === k && g !== f);
    switch (f.kind) {
      case "number": {
        const n = () => String(r.pick([0, 1, 2.5, 10, 49, 50, 51, 100, 250, 1000, 5000, -1, 1250.5, 2000]));
        const c = r.int(0, 9);
        if (c === 0) return `${f.path} ${r.pick(["between", "not between"])} ${n()} and ${n()}`;
        if (c === 1) return `${f.path} ${r.pick(["in", "not in"])} [${r.some([0, 1, 50, 250, 1000, 5000, 10], 0, 4).join(", ")}]`;
        if (c === 2) return `${f.path} is ${r.pick(["", "not "])}set`;
        if (c === 3 && same("number").length) return `${f.path} ${r.pick(["<", ">=", "=", "!="])} ${r.pick(same("number")).path}`;
        if (c === 4) return `${f.path} ${r.pick([">", "<="])} ${this.param(r.pick([0, 50, 1000, 2.5]))}`;
        if (c === 5) return `${f.path} in ${this.param(r.some([1, 50, 250, 5000], 0, 3))}`;
        return `${f.path} ${r.pick(["=", "!=", "<", "<=", ">", ">="])} ${n()}`;
      }
      case "text": {
        const lit = () => quote(r.pick(LITERALS));
        const c = r.int(0, 12);
        if (c <= 4) {
          const op = r.pick(["contains", "starts with", "ends with", "~=", "not contains", "not starts with", "not ends with", "not ~="]);
          return `${f.path} ${op} ${r.chance(0.15) ? this.param(r.pick(LITERALS)) : lit()}`;
        }
        if (c === 5) return `${f.path} ${r.pick(["=", "!="])} ${quote(r.pick(TEXTS))}`;
        if (c === 6) return `${f.path} ${r.pick(["in", "not in"])} [${r.some(TEXTS, 0, 3).map(quote).join(", ")}]`;
        if (c === 7) return `${f.path} is ${r.pick(["", "not "])}empty`;
        if (c === 8) return `${f.path} is ${r.pick(["", "not "])}set`;
        if (c === 9 && same("text").length) return `${f.path} ${r.pick(["contains", "~=", "=", "ends with"])} ${r.pick(same("text")).path}`;
        return `${f.path} = ${quote(r.pick(TEXTS))}`;
      }
      case "enum": {
        const v = () => quote(r.pick(f.values!));
        const c = r.int(0, 5);
        if (c <= 1) return `${f.path} ${r.pick(["=", "!="])} ${v()}`;
        if (c === 2) return `${f.path} ${r.pick(["in", "not in"])} [${r.some(f.values!, 0, 3).map(quote).join(", ")}]`;
        if (c === 3) return `${f.path} in ${this.param(r.some(f.values!, 1, 2))}`;
        if (c === 4) return `${f.path} = ${this.param(r.pick(f.values!))}`;
        return `${f.path} is ${r.pick(["", "not "])}set`;
      }
      case "ordered": {
        const v = () => quote(r.pick(f.values!));
        const c = r.int(1, 3); // `between` refuses ordered choices (the checker)
        if (c === 1) return `${f.path} ${r.pick(["in", "not in"])} [${r.some(f.values!, 0, 3).map(quote).join(", ")}]`;
        return `${f.path} ${r.pick(["=", "!=", "<", "<=", ">", ">="])} ${v()}`;
      }
      case "bool": {
        const c = r.int(0, 3);
        if (c === 0) return `not ${f.path}`;
        if (c === 1) return `${f.path} ${r.pick(["=", "!="])} ${r.pick(["true", "false"])}`;
        if (c === 2) return `${f.path} is ${r.pick(["", "not "])}set`;
        return f.path;
      }
      case "date":
        return this.datePredicate(f, same("date"));
      case "tags": {
        const tag = () => quote(r.pick(["crm", "CRM", "erp", "santé", "%", "a_b", "x"]));
        const c = r.int(0, 7);
        if (c === 0) return `${f.path} has ${tag()}`;
        if (c <= 2) return `${f.path} has ${r.pick(["any", "all", "none"])} [${Array.from({ length: r.int(0, 3) }, tag).join(", ")}]`;
        if (c === 3) return `${f.path} is ${r.pick(["", "not "])}empty`;
        if (c === 4) return `${f.path} is ${r.pick(["", "not "])}set`;
        if (c === 5) return `count(${f.path}) ${r.pick([">", "=", "<="])} ${r.int(0, 3)}`;
        if (c === 6) return `${f.path} has ${this.param(r.pick(["crm", "erp"]))}`;
        return `${f.path} has any ${this.param(r.some(["crm", "santé", "%"], 0, 2))}`;
      }
      case "scores": {
        const c = r.int(0, 4);
        if (c === 0) return `${f.path} has ${r.pick([0, 5, 10, 2.5])}`;
        if (c === 1) return `${f.path} has ${r.pick(["any", "all", "none"])} [${r.some([0, 1, 5, 100], 0, 3).join(", ")}]`;
        if (c === 2) return `${f.path} is ${r.pick(["", "not "])}empty`;
        return `${r.pick(["count", "sum", "avg", "min", "max"])}(${f.path}) ${r.pick([">", "<=", "=", "!="])} ${r.pick([0, 1, 2, 5, 10, 52.5])}`;
      }
      case "dates": {
        // `has` refuses lists of dates (the checker): emptiness, presence and counts only.
        const c = r.int(0, 2);
        if (c === 0) return `${f.path} is ${r.pick(["", "not "])}empty`;
        if (c === 1) return `${f.path} is ${r.pick(["", "not "])}set`;
        return `count(${f.path}) >= ${r.int(0, 2)}`;
      }
      case "list": {
        const el = f.element!;
        const c = r.int(0, 5);
        const where = () => this.expr(Math.min(depth, 1), [el, ...scopes]);
        if (c === 0) return `count(${f.path}) ${r.pick([">", "=", ">=", "<"])} ${r.int(0, 3)}`;
        if (c === 1) return `count(${f.path} where ${where()}) ${r.pick([">=", "=", "<"])} ${r.int(0, 2)}`;
        if (c === 2) return `${f.path} is ${r.pick(["", "not "])}empty`;
        const nums = el.fields.filter((g) => g.kind === "number");
        const fn = r.pick(["sum", "avg", "min", "max"]);
        const agg = `${fn}(${f.path}.${r.pick(nums).path}${r.chance(0.5) ? ` where ${where()}` : ""})`;
        return `${agg} ${r.pick([">", "<=", "=", ">=", "!="])} ${r.pick([0, 10, 100, 500, 1000, 2.5])}`;
      }
    }
  }

  private datePredicate(f: FieldInfo, others: readonly FieldInfo[]): string {
    const r = this.r;
    const d = () => dur(r.pick(DURATIONS));
    const day = () => r.pick(DAYS);
    const c = r.int(0, 16);
    switch (c) {
      case 0:
        return `${f.path} ${r.pick(["<", "<=", ">", ">="])} ${d()}`;
      case 1:
        return `${f.path} ${r.pick(["between", "not between"])} ${d()} and ${d()}`;
      case 2:
        return `${f.path} ${r.pick(["=", "!=", "<", "<=", ">", ">="])} ${day()}`;
      case 3:
        return `${f.path} ${r.pick(["before", "after"])} ${r.chance(0.5) ? day() : r.pick(INSTANTS)}`;
      case 4:
        return `${f.path} ${r.pick(["between", "not between"])} ${day()} and ${day()}`;
      case 5:
        return `${f.path} ${r.pick(["<", ">", ">=", "<="])} ${d()} ${r.pick(["ago", "from now"])}`;
      case 6:
        return `${f.path} within ${r.pick(["last", "next"])} ${d()}`;
      case 7:
        return `${f.path} ${r.pick(["=", "!=", "<", ">="])} ${r.pick(INSTANTS)}`;
      case 8:
        if (others.length) return `${f.path} ${r.pick(["<", "=", ">="])} ${r.pick(others).path}`;
        return `${f.path} is set`;
      case 9:
        // A duration parameter: its type comes from the other bound.
        return `${f.path} between ${this.param(r.pick(["2 weeks", { amount: 3, unit: "month" }, "30 days"]))} and ${d()}`;
      case 10:
        return `${f.path} ${r.pick(["<", ">=", "="])} ${this.param(r.chance(0.5) ? day() : new Date(r.pick(SPECIAL)))}`;
      case 11:
        return `${f.path} is ${r.pick(["", "not "])}set`;
      case 12:
        return `${f.path} between ${d()} ago and ${day()}`;
      default:
        return `${f.path} ${r.pick(["<", ">"])} ${d()}`;
    }
  }
}
