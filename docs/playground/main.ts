/**
 * The playground page: a CodeMirror editor with `cible/codemirror` on the left; on the right,
 * what the rules give over a sample of the demo base, recomputed (debounced) as you type.
 *
 * Bad input never breaks the page: while the text has errors, the last good results stay,
 * greyed, and the diagnostics are listed. Stable hooks for end-to-end tests: the editor inside
 * `[data-testid="editor"]`, each segment's size as `data-count` on
 * `[data-testid="count-<name>"]`, the diagnostics in `[data-testid="diagnostics"]`.
 */
import { defaultKeymap, history as editorHistory, historyKeymap, indentWithTab } from "@codemirror/commands";
import { lintGutter, lintKeymap } from "@codemirror/lint";
import { Compartment, EditorState } from "@codemirror/state";
import { EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from "@codemirror/view";
import { now as DEMO_NOW, records as sample, rules as DEMO_RULES } from "playground:demo";
import { Contact } from "../../examples/schema.js";
import { barChart, funnel, histogram, tiersBlock } from "../../src/cli/charts.js";
import { cible } from "../../src/codemirror.js";
import { type Diagnostic, type EvalContext, explainText } from "../../src/index.js";
import { readSchema, describeType, type Field } from "../../src/schema/index.js";
import { segmentToSQL, toSQL, type SQLDialectName } from "../../src/sql.js";
import { type Results, reviveDates, runRules } from "./evaluate.js";
import { SHARE_LIMIT, decodeShare, encodeShare } from "./share.js";

/** Wait after the last keystroke before evaluating: short, so counts follow the typing. */
const DEBOUNCE_MS = 40;
const SHOWN = 50;
const DIALECTS: SQLDialectName[] = ["postgres", "duckdb", "clickhouse"];
/** The demo's arrays of objects, as child tables for the SQL panel. */
const CHILDREN = {
  evenements: { table: "evenements", foreignKey: "contact_id", key: "id" },
  achats: { table: "achats", foreignKey: "contact_id", key: "id" },
};

/** The sample with `Date` objects, as a host app would hold its records. */
const records = reviveDates(sample, Contact);

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

const state = {
  now: DEMO_NOW,
  timeZone: "Europe/Paris",
  last: undefined as Results | undefined,
  selectedSegment: undefined as string | undefined,
  selectedRecord: undefined as number | undefined,
  typedAt: 0,
};
const ctx = (): EvalContext => ({ now: new Date(state.now), timeZone: state.timeZone });

// --- Editor ------------------------------------------------------------------------------------
const language = new Compartment();
const cibleFor = () => cible({ schema: Contact, kind: "rules", now: new Date(state.now), timeZone: state.timeZone });
let timer: ReturnType<typeof setTimeout> | undefined;
const view = new EditorView({
  parent: $("editor"),
  state: EditorState.create({
    doc: DEMO_RULES,
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      editorHistory(),
      drawSelection(),
      highlightActiveLine(),
      lintGutter(),
      keymap.of([...defaultKeymap, ...historyKeymap, ...lintKeymap, indentWithTab]),
      language.of(cibleFor()),
      EditorView.updateListener.of((u) => {
        if (!u.docChanged) return;
        state.typedAt = performance.now();
        clearTimeout(timer);
        timer = setTimeout(update, DEBOUNCE_MS);
      }),
    ],
  }),
});

// End-to-end tests (ours and a host's) may drive the editor directly: `window.playground.view`.
(window as unknown as { playground: { view: EditorView } }).playground = { view };

// --- Evaluation and rendering ------------------------------------------------------------------
function update(): void {
  const source = view.state.doc.toString();
  let run: ReturnType<typeof runRules>;
  try {
    run = runRules(source, Contact, records, ctx(), SHOWN);
    renderDiagnostics(run.diagnostics);
  } catch (e) {
    // A bug of ours must not blank the page: say so where the diagnostics go, keep the rest.
    run = { diagnostics: [] };
    $("diagnostics").replaceChildren(el("li", { textContent: `The playground failed on this text (a bug: please report it): ${String(e)}` }));
  }
  $("results").classList.toggle("stale", !run.results);
  if (run.results) {
    state.last = run.results;
    renderResults(run.results);
  }
  const since = state.typedAt ? performance.now() - state.typedAt : 0;
  $("timing").textContent = run.results ? `${records.length.toLocaleString("en-US")} records · evaluated in ${run.results.ms.toFixed(0)} ms` : "(last good results: the rules have errors)";
  document.body.dataset.updated = String(Number(document.body.dataset.updated ?? 0) + 1);
  document.body.dataset.sinceKeystroke = since.toFixed(1);
}

function renderDiagnostics(diagnostics: readonly Diagnostic[]): void {
  const list = $("diagnostics");
  list.replaceChildren();
  if (!diagnostics.length) list.append(el("li", { className: "none", textContent: "No problems." }));
  for (const d of diagnostics) {
    const li = el(
      "li",
      { className: d.severity },
      `${d.span.start.line}:${d.span.start.column} `,
      el("span", { className: "code", textContent: d.code }),
      ` ${d.message}`,
      ...(d.hint ? [el("div", { className: "hint", textContent: d.hint })] : []),
    );
    li.addEventListener("click", () => {
      view.dispatch({ selection: { anchor: Math.min(d.span.start.offset, view.state.doc.length), head: Math.min(d.span.end.offset, view.state.doc.length) }, scrollIntoView: true });
      view.focus();
    });
    list.append(li);
  }
}

function renderResults(r: Results): void {
  const tbody = $("segments").querySelector("tbody")!;
  tbody.replaceChildren();
  const max = Math.max(1, ...r.segments.map((s) => s.size));
  if (!r.segments.some((s) => s.name === state.selectedSegment)) state.selectedSegment = r.segments[0]?.name;
  for (const s of r.segments) {
    const count = el("td", { className: "num", textContent: s.size.toLocaleString("en-US") });
    count.dataset.testid = `count-${s.name}`;
    count.dataset.count = String(s.size);
    const bar = el("td", { className: "bar" }, el("div"));
    (bar.firstChild as HTMLElement).style.width = `${((s.size / max) * 100).toFixed(1)}%`;
    const tr = el("tr", { className: s.name === state.selectedSegment ? "selected" : "" }, el("td", { textContent: s.name }), bar, count, el("td", { className: "num", textContent: `${(s.share * 100).toFixed(1)}%` }));
    tr.addEventListener("click", () => {
      state.selectedSegment = s.name;
      for (const row of Array.from(tbody.children)) row.classList.toggle("selected", row === tr);
      renderSQL(r);
    });
    tbody.append(tr);
  }
  if (!r.segments.length) tbody.append(el("tr", {}, el("td", { textContent: "No segment yet: write `segment name:` and a rule below it." })));
  renderSQL(r);
  renderRecords(r);
  renderCharts(r);
}

function renderSQL(r: Results): void {
  const box = $("sql");
  box.replaceChildren();
  $("sql-segment").textContent = state.selectedSegment ?? "a segment";
  if (!state.selectedSegment) return;
  for (const dialect of DIALECTS) {
    const options = { dialect, table: "contacts", children: CHILDREN, now: new Date(state.now), timeZone: state.timeZone };
    const name = state.selectedSegment;
    let text: string;
    try {
      const { sql, params } = segmentToSQL(r.rules, name, options);
      text = `${sql}\n-- params: ${JSON.stringify(params)}`;
    } catch (e) {
      // ClickHouse takes no rules file yet: a segment that references no other definition
      // still compiles alone (toSQL); otherwise the first error says why.
      try {
        const { sql, params } = toSQL(r.rules.segments[name]!, options);
        text = `${sql}\n-- params: ${JSON.stringify(params)}`;
      } catch {
        text = `-- ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    box.append(el("h3", { textContent: dialect }), el("pre", { textContent: text }));
  }
}

const COLUMNS = ["id", "prenom", "nom", "entreprise", "secteur", "fonction", "tranche"];
function renderRecords(r: Results): void {
  const table = $("records");
  table.querySelector("thead")!.replaceChildren(el("tr", {}, ...[...COLUMNS, "segments"].map((c) => el("th", { textContent: c }))));
  const tbody = table.querySelector("tbody")!;
  tbody.replaceChildren();
  r.recordSegments.forEach((segments, i) => {
    const rec = records[i]!;
    const tr = el("tr", { className: i === state.selectedRecord ? "selected" : "" }, ...COLUMNS.map((c) => el("td", { textContent: String(rec[c] ?? "") })), el("td", { textContent: segments.join(", ") }));
    tr.dataset.testid = `record-${i}`;
    tr.addEventListener("click", () => {
      state.selectedRecord = i;
      for (const row of Array.from(tbody.children)) row.classList.toggle("selected", row === tr);
      renderExplanation(r);
    });
    tbody.append(tr);
  });
  renderExplanation(r);
}

function renderExplanation(r: Results): void {
  const box = $("explanation");
  box.replaceChildren();
  if (state.selectedRecord === undefined) return;
  const rec = records[state.selectedRecord]!;
  box.append(el("h2", { textContent: `Why ${String(rec.id)} is or is not in each segment` }));
  for (const [name, seg] of Object.entries(r.rules.segments)) {
    box.append(el("h3", { textContent: name }), el("pre", { textContent: explainText(seg.explain(rec, ctx())) }));
  }
}

function renderCharts(r: Results): void {
  const parts: string[] = [];
  // The SVG text comes from the report's chart code, which escapes every name it writes.
  parts.push(`<h2>Segment sizes</h2>${barChart(r.segments.map((s) => ({ name: s.name, count: s.size })), r.total, "Segment sizes")}`);
  for (const sc of r.scores) parts.push(`<h2>Score ${escapeHtml(sc.name)} <span class="muted">median ${sc.median} · mean ${sc.mean.toFixed(1)}</span></h2>${histogram(sc)}`);
  for (const l of r.lifecycles) parts.push(`<h2>Lifecycle ${escapeHtml(l.name)}</h2>${funnel(l, r.total)}`);
  if (r.tiers.length) parts.push(`<h2>Tiers</h2>${r.tiers.map((t) => tiersBlock(t, r.total)).join("")}`);
  $("charts").innerHTML = parts.join("");
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

// --- Fields, time controls, share ----------------------------------------------------------------
function renderFields(): void {
  const list = $("fields");
  const add = (prefix: string, field: Field) => {
    const name = `${prefix}${field.name}`;
    const li = el("li", {}, el("code", { textContent: name }), ` ${describeType(field.type)}${field.nullable ? ", may be missing" : ""}`);
    li.dataset.field = name;
    li.addEventListener("click", () => {
      const { from, to } = view.state.selection.main;
      view.dispatch({ changes: { from, to, insert: name }, selection: { anchor: from + name.length }, scrollIntoView: true });
      view.focus();
    });
    list.append(li);
    const t = field.type;
    if (t.kind === "array" && t.element.kind === "object") for (const f of t.element.fields.values()) add(`${name}.`, f);
    if (t.kind === "object") for (const f of t.fields.values()) add(`${name}.`, f);
  };
  for (const f of readSchema(Contact).root.fields.values()) add("", f);
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

function setTime(now: string, timeZone: string): void {
  state.now = now;
  state.timeZone = timeZone;
  ($("now") as HTMLInputElement).value = now.slice(0, 19);
  ($("zone") as HTMLInputElement).value = timeZone;
  view.dispatch({ effects: language.reconfigure(cibleFor()) });
  update();
}

function initControls(): void {
  const nowInput = $<HTMLInputElement>("now");
  const zoneInput = $<HTMLInputElement>("zone");
  const zones = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone") ?? ["UTC", "Europe/Paris"];
  $("zones").append(...zones.map((z) => el("option", { value: z })));
  nowInput.previousSibling!.textContent = "now (UTC) ";
  nowInput.addEventListener("change", () => {
    const t = Date.parse(`${nowInput.value}Z`);
    if (Number.isFinite(t)) setTime(new Date(t).toISOString(), state.timeZone);
  });
  zoneInput.addEventListener("change", () => {
    const ok = validZone(zoneInput.value);
    zoneInput.setCustomValidity(ok ? "" : "Not a time zone this browser knows (e.g. Europe/Paris, UTC)");
    zoneInput.reportValidity();
    if (ok) setTime(state.now, zoneInput.value);
  });
  const status = $("share-status");
  $("share").addEventListener("click", async () => {
    const out = await encodeShare({ rules: view.state.doc.toString(), now: state.now, timeZone: state.timeZone });
    status.classList.toggle("error", "error" in out);
    if ("error" in out) {
      status.textContent = out.error;
      return;
    }
    history.replaceState(null, "", out.hash);
    const url = location.href;
    status.textContent = `Link in the address bar (${out.hash.length.toLocaleString("en-US")} of ${SHARE_LIMIT.toLocaleString("en-US")} characters).`;
    await navigator.clipboard?.writeText(url).then(() => (status.textContent += " Copied."), () => undefined);
  });
  $("reset").addEventListener("click", () => {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: DEMO_RULES } });
    history.replaceState(null, "", location.pathname + location.search);
    setTime(DEMO_NOW, "Europe/Paris");
  });
}

async function start(): Promise<void> {
  $("sample-size").textContent = `${records.length.toLocaleString("en-US")} records`;
  renderFields();
  initControls();
  if (location.hash) {
    const shared = await decodeShare(location.hash);
    if (shared && validZone(shared.timeZone) && Number.isFinite(Date.parse(shared.now))) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: shared.rules } });
      setTime(new Date(shared.now).toISOString(), shared.timeZone);
      return;
    }
    $("share-status").textContent = "The link's rules could not be read (cut or altered?): showing the demo rules.";
    $("share-status").classList.add("error");
  }
  setTime(new Date(DEMO_NOW).toISOString(), "Europe/Paris");
}

void start();
