// 乡约工作台 — the page. The compact is edited in CodeMirror 6; every answer (diagnostics and
// fixes, formatting, results, explanations, the vote report, the printable text) comes from
// xiangyue's pure core compiled to WebAssembly (web/core), embedded in this script so that the
// page works from a file:// URL with no network.
import "./style.css";
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection, hoverTooltip } from "@codemirror/view";
import { EditorState, EditorSelection, StateEffect } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { linter, lintGutter, forceLinting } from "@codemirror/lint";
import { autocompletion } from "@codemirror/autocomplete";
import { searchKeymap } from "@codemirror/search";
import * as XLSX from "xlsx";
import {
  initSync,
  check,
  format,
  hover,
  complete,
  render,
  add_template,
  clear_templates,
  held_templates,
  Workbench,
} from "../build/pkg/xiangyue_web.js";
import wasmBytes from "../build/pkg/xiangyue_web_bg.wasm";
import { xiangyueLanguage, xiangyueHighlight } from "./language.js";
import sampleCompact from "../../compacts/youxiqiao-demo/youxiqiao.xy";
import sampleRegister from "../../compacts/youxiqiao-demo/register.csv";
import sampleEvents from "../../compacts/youxiqiao-demo/events.csv";
import sampleMembers from "../../compacts/youxiqiao-demo/党员.csv";
import samplePool from "../../compacts/youxiqiao-demo/分红.txt";

initSync({ module: wasmBytes });

const $ = (id) => document.getElementById(id);
const bench = new Workbench();
/** Said to the editor when the templates held change: its text is checked again. */
const templatesChanged = StateEffect.define();
const today = new Date();
bench.set_today(
  `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`
);

/** What the tests and the latency measurement read. */
const state = {
  adopted: null, // the adopted version's text (the text loaded first, or a loaded file)
  adoptedName: "",
  results: null, // the last evaluation
  resultsVersion: 0,
  lastKey: 0, // performance.now() of the last keydown in the editor
  lastLatency: null, // keystroke → results shown, ms
  lastEvalMs: null, // time in the core, ms
  sort: { column: null, descending: false },
  explained: null, // the household explained
  previous: new Map(), // totals before the last change, to mark changed rows
  clauses: [],
};
window.workbench = state;
state.loaded = () => bench.loaded();

// ---------------------------------------------------------------------------------------------
// The editor

function offsetOf(doc, position) {
  const line = doc.line(Math.min(position.line + 1, doc.lines));
  return Math.min(line.from + position.character, line.to);
}

const lintSource = (view) => {
  const text = view.state.doc.toString();
  const found = JSON.parse(check(text));
  state.clauses = found.clauses || [];
  showProblems(found, view.state.doc);
  return found.diagnostics.map((d) => {
    const from = offsetOf(view.state.doc, d.range.start);
    const to = Math.max(from, offsetOf(view.state.doc, d.range.end));
    return {
      from,
      to,
      severity: d.severity,
      source: d.code,
      message: d.message,
      actions: d.fixes.map((fix) => ({
        name: fix.title,
        apply(v) {
          const a = offsetOf(v.state.doc, fix.range.start);
          const b = offsetOf(v.state.doc, fix.range.end);
          v.dispatch({ changes: { from: a, to: b, insert: fix.text } });
        },
      })),
    };
  });
};

function showProblems(found, doc) {
  const box = $("problems");
  box.replaceChildren();
  if (found.diagnostics.length === 0) {
    const p = document.createElement("p");
    p.className = "ok small";
    p.textContent = "没有发现问题";
    box.append(p);
    return;
  }
  const head = document.createElement("p");
  head.className = "small";
  head.textContent = `${found.errors} 个错误，${found.warnings} 个警告`;
  const list = document.createElement("ul");
  for (const d of found.diagnostics) {
    const li = document.createElement("li");
    li.className = d.severity;
    const go = document.createElement("button");
    go.type = "button";
    go.className = "clause";
    go.textContent = `第 ${d.range.start.line + 1} 行`;
    go.setAttribute("aria-label", `转到第 ${d.range.start.line + 1} 行`);
    go.addEventListener("click", () => selectRange(offsetOf(doc, d.range.start), offsetOf(doc, d.range.end)));
    li.append(go, ` ${d.code} ${d.message.split("\n")[0]}`);
    for (const fix of d.fixes) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "fix";
      b.textContent = fix.title;
      b.addEventListener("click", () => {
        const v = view;
        v.dispatch({
          changes: {
            from: offsetOf(v.state.doc, fix.range.start),
            to: offsetOf(v.state.doc, fix.range.end),
            insert: fix.text,
          },
        });
        v.focus();
      });
      li.append(" ", b);
    }
    list.append(li);
  }
  box.append(head, list);
}

const completionSource = (context) => {
  // Names only (事项, fields, accounts …): typing a number asks for nothing.
  const word = context.matchBefore(/[\p{L}_][\p{L}\p{N}_]*/u);
  if (!word && !context.explicit) return null;
  if (!word) return null;
  const line = context.state.doc.lineAt(context.pos);
  const items = JSON.parse(complete(context.state.doc.toString(), line.number - 1, context.pos - line.from));
  if (!items.length) return null;
  return {
    from: word.from,
    options: items.map((i) => ({ label: i.label, detail: i.detail || undefined })),
  };
};

const hoverSource = hoverTooltip((v, pos) => {
  const line = v.state.doc.lineAt(pos);
  const text = JSON.parse(hover(v.state.doc.toString(), line.number - 1, pos - line.from));
  if (!text) return null;
  return {
    pos,
    above: true,
    create() {
      const dom = document.createElement("div");
      dom.className = "hover small";
      dom.style.whiteSpace = "pre-wrap";
      dom.style.maxWidth = "32rem";
      dom.style.padding = ".3rem .5rem";
      dom.textContent = text.replace(/[`*]/g, "");
      return { dom };
    },
  };
});

const view = new EditorView({
  parent: $("editor"),
  state: EditorState.create({
    doc: "",
    extensions: [
      lineNumbers(),
      history(),
      drawSelection(),
      highlightActiveLine(),
      EditorView.lineWrapping,
      xiangyueLanguage,
      xiangyueHighlight,
      lintGutter(),
      linter(lintSource, {
        delay: 120,
        // The text is checked again when the templates held change (templatesChanged).
        needsRefresh: (u) => u.transactions.some((t) => t.effects.some((e) => e.is(templatesChanged))),
      }),
      autocompletion({ override: [completionSource] }),
      hoverSource,
      // Tab is left to the page (moving the focus), so that the keyboard never gets stuck in the
      // editor; 排版 lays the text out.
      keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap]),
      EditorView.contentAttributes.of({ "aria-label": "乡约草稿" }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) schedule();
      }),
      EditorView.domEventHandlers({
        keydown() {
          state.lastKey = performance.now();
        },
      }),
    ],
  }),
});

state.view = view;

function setText(text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

function selectRange(from, to) {
  view.dispatch({
    selection: EditorSelection.single(from, to),
    effects: EditorView.scrollIntoView(from, { y: "center" }),
  });
  view.focus();
}

/** Selects the head line of clause `number` (第N条) in the editor. */
function goToClause(number, line, column) {
  const doc = view.state.doc;
  const clause = state.clauses.find((c) => c.number === number);
  if (clause) {
    selectRange(offsetOf(doc, clause.range.start), offsetOf(doc, clause.range.end));
  } else if (line) {
    const l = doc.line(Math.min(line, doc.lines));
    selectRange(l.from + (column || 0), l.to);
  }
}

// ---------------------------------------------------------------------------------------------
// Results as you type: the evaluation runs as soon as the browser is free after a change
// (typing faster than it computes coalesces into one run).

let pending = false;
function schedule() {
  // A quick evaluation runs at once, in the same task as the keystroke; a slow one (a large
  // village) waits for the browser to be free, so that keys typed meanwhile make one run.
  if (state.lastEvalMs != null && state.lastEvalMs < 50 && !pending) {
    evaluate();
    return;
  }
  if (pending) return;
  pending = true;
  setTimeout(() => {
    pending = false;
    evaluate();
  }, 0);
}

const CN_NUM = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
function chineseNumber(n) {
  if (n < 10) return CN_NUM[n];
  if (n < 20) return "十" + (n % 10 ? CN_NUM[n % 10] : "");
  if (n < 100) return CN_NUM[Math.floor(n / 10)] + "十" + (n % 10 ? CN_NUM[n % 10] : "");
  return String(n);
}
function clauseNumber(label) {
  // 第四条 → 4
  const m = /^第(.+)条$/.exec(label || "");
  if (!m) return null;
  if (/^\d+$/.test(m[1])) return Number(m[1]);
  for (let i = 1; i < 100; i++) if (chineseNumber(i) === m[1]) return i;
  return null;
}

function yuan(fen) {
  return (fen / 100).toFixed(2);
}

function evaluate() {
  const text = view.state.doc.toString();
  const loaded = JSON.parse(bench.loaded());
  if (!loaded.register && !loaded.events) {
    $("summary").textContent = "载入示例村，或拖入户籍和事项记录，就能边改边看各户的积分。";
    return;
  }
  const t0 = performance.now();
  const answer = bench.evaluate(text);
  state.lastEvalMs = performance.now() - t0;
  const result = JSON.parse(answer);
  const t1 = performance.now();
  if (result.ok && state.results && state.results.ok) {
    state.previous = new Map(state.results.households.map((h) => [h.id, h.total]));
  }
  if (result.ok || !state.results) state.results = result;
  showResults(result);
  state.timings = { core: state.lastEvalMs, parse: t1 - t0 - state.lastEvalMs, show: performance.now() - t1 };
  if (!$("panel-explain").hidden && state.explained) explain(state.explained, false);
  if (!$("panel-compare").hidden) scheduleCompare();
  if (!$("panel-render").hidden) showRender();
  // Keystroke → results in the page (the table's cells changed), and → the next frame.
  const key = state.lastKey;
  if (key) state.lastLatency = performance.now() - key;
  state.lastPainted = null;
  requestAnimationFrame(() => {
    if (key) state.lastPainted = performance.now() - key;
  });
  state.resultsVersion += 1;
}

function showResults(result) {
  $("title").textContent = result.title ? `乡约「${result.title}」` : "";
  const summary = $("summary");
  summary.replaceChildren();
  if (!result.ok) {
    const p = document.createElement("p");
    p.className = "bad";
    p.textContent = `${result.reason}${state.results && state.results.ok && state.results !== result ? "（下表是上一次算得的结果）" : ""}`;
    summary.append(p);
    for (const e of result.errors || []) {
      const q = document.createElement("p");
      q.className = "bad";
      q.textContent = `${e.file}${e.line ? ` 第 ${e.line} 行` : ""}：${e.code} ${e.message}`;
      summary.append(q);
    }
    return;
  }
  const p = document.createElement("p");
  const period = result.period ? result.period.label : "";
  const money =
    result.pool_fen != null ? `，分红 ${yuan(result.pool_fen)} 元，分出 ${yuan(result.distributed_fen)} 元` : "";
  p.textContent = `${period}：${result.households.length} 户，${result.records} 条记录计算${money}；用时 ${Math.round(state.lastEvalMs)} 毫秒。`;
  p.id = "summary-line";
  summary.append(p);
  for (const w of result.warnings) {
    const q = document.createElement("p");
    q.className = "warn";
    q.textContent = `${w.code} ${w.message}`;
    summary.append(q);
  }
  showRejected(result);
  showTable(result);
}

function showRejected(result) {
  const box = $("rejected");
  box.replaceChildren();
  if (!result.rejected_count) return;
  const d = document.createElement("details");
  d.className = "bad";
  const s = document.createElement("summary");
  s.id = "rejected-count";
  s.textContent = `${result.rejected_count} 条记录有误，未计入（逐条列出如下）`;
  d.append(s);
  const list = document.createElement("ol");
  for (const r of result.rejected.slice(0, 1000)) {
    const li = document.createElement("li");
    li.textContent = r.errors.map((e) => `${e.code} ${e.message}`).join("；");
    list.append(li);
  }
  d.append(list);
  if (result.rejected.length > 1000) {
    const more = document.createElement("p");
    more.textContent = `另有 ${result.rejected.length - 1000} 条有误的记录未列出；请改正上面的记录后再看。`;
    d.append(more);
  }
  box.append(d);
}

function columns(result) {
  const cols = [
    { key: "id", label: "户号", text: true, value: (h) => h.id },
    { key: "name", label: "户主", text: true, value: (h) => h.name || "" },
  ];
  for (const a of result.accounts) {
    cols.push({ key: `t:${a}`, label: a, value: (h) => Number(h.tracks[a]), show: (h) => h.tracks[a] });
  }
  if (result.rating) {
    cols.push({
      key: "rating",
      label: result.rating,
      text: true,
      value: (h) => (h.rating && h.rating.label) || (h.rating && h.rating.cancelled ? "取消" : ""),
    });
  }
  cols.push({
    key: "veto",
    label: "一票否决",
    text: true,
    value: (h) => h.vetoes.map((v) => v.clause).join("、"),
  });
  if (result.has_dividend) {
    cols.push({ key: "dividend", label: "分红（元）", value: (h) => h.dividend_fen, show: (h) => yuan(h.dividend_fen) });
  }
  return cols;
}

const ROW_LIMIT = 500;
$("filter").addEventListener("input", () => state.results && showTable(state.results));
$("show-all").addEventListener("click", () => {
  state.showAll = true;
  delete $("households").dataset.columns;
  showTable(state.results);
});

function naturalCompare(a, b) {
  return String(a).localeCompare(String(b), "zh-CN", { numeric: true });
}

/** Updates the table's cells in place when the rows and columns are the ones shown; false
 * when the table must be built again. */
function updateTable(result, cols, shown) {
  const table = $("households");
  const signature = cols.map((c) => c.key).join("|");
  if (table.dataset.columns !== signature) return false;
  const rows = table.tBodies[0] ? table.tBodies[0].rows : [];
  if (rows.length !== shown.length) return false;
  for (let i = 0; i < shown.length; i++) {
    if (rows[i].dataset.id !== shown[i].id) return false;
  }
  for (let i = 0; i < shown.length; i++) {
    const h = shown[i];
    const row = rows[i];
    const before = state.previous.get(h.id);
    const changed = before !== undefined && before !== h.total ? "changed" : "";
    if (row.className !== changed) row.className = changed;
    for (let j = 2; j < cols.length; j++) {
      const c = cols[j];
      const text = String(c.show ? c.show(h) : c.value(h));
      const cell = row.cells[j];
      if (cell.textContent !== text) cell.textContent = text;
    }
  }
  const foot = table.tFoot && table.tFoot.rows[0];
  if (foot) foot.cells[0].textContent = `合计 ${result.total_account || ""} ${result.total_points} 分`;
  return true;
}

function showTable(result) {
  const table = $("households");
  const cols = columns(result);
  const rows = result.households.slice();
  const { column, descending } = state.sort;
  const col = cols.find((c) => c.key === column);
  if (col) {
    rows.sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      const c = col.text ? naturalCompare(x, y) : x - y;
      return descending ? -c : c;
    });
  }
  const thead = document.createElement("thead");
  const tr = document.createElement("tr");
  for (const c of cols) {
    const th = document.createElement("th");
    th.scope = "col";
    if (c.text) th.className = "text";
    const sorted = c.key === column;
    th.setAttribute("aria-sort", sorted ? (descending ? "descending" : "ascending") : "none");
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.key = c.key;
    b.textContent = c.label + (sorted ? (descending ? " ▼" : " ▲") : "");
    b.setAttribute("aria-label", `按「${c.label}」排序`);
    b.addEventListener("click", () => {
      state.sort = { column: c.key, descending: c.key === column ? !descending : !c.text };
      delete table.dataset.columns;
      showTable(state.results);
      table.querySelector(`th button[data-key="${CSS.escape(c.key)}"]`).focus();
    });
    th.append(b);
    tr.append(th);
  }
  thead.append(tr);
  const tbody = document.createElement("tbody");
  const frag = document.createDocumentFragment();
  // A large village: the first rows only (rebuilding thousands of rows at every keystroke
  // costs more than computing them); 查找 and 显示全部 reach the rest.
  const needle = $("filter").value.trim();
  if (needle !== state.needle) delete table.dataset.columns;
  state.needle = needle;
  const matching = needle ? rows.filter((h) => h.id.includes(needle) || (h.name || "").includes(needle)) : rows;
  const shown = state.showAll ? matching : matching.slice(0, ROW_LIMIT);
  $("shown").textContent =
    shown.length < matching.length ? `显示 ${shown.length} 户，共 ${matching.length} 户` : `${matching.length} 户`;
  $("show-all").hidden = shown.length === matching.length;
  if (updateTable(result, cols, shown)) return;
  table.dataset.columns = cols.map((c) => c.key).join("|");
  for (const h of shown) {
    const row = document.createElement("tr");
    row.dataset.id = h.id;
    const before = state.previous.get(h.id);
    if (before !== undefined && before !== h.total) row.className = "changed";
    for (const c of cols) {
      const td = document.createElement("td");
      if (c.text) td.className = "text";
      if (c.key === "id") {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "hh";
        b.textContent = h.id;
        b.setAttribute("aria-label", `说明 ${h.id}${h.name ? " " + h.name : ""} 的积分`);
        b.addEventListener("click", () => explain(h.id, true));
        td.append(b);
      } else {
        td.textContent = c.show ? c.show(h) : c.value(h);
      }
      if (c.key === `t:${result.total_account}`) td.dataset.total = "1";
      row.append(td);
    }
    frag.append(row);
  }
  tbody.append(frag);
  const tfoot = document.createElement("tfoot");
  if (result.total_points != null) {
    const f = document.createElement("tr");
    const td = document.createElement("td");
    td.className = "text";
    td.colSpan = cols.length;
    td.textContent = `合计 ${result.total_account || ""} ${result.total_points} 分`;
    f.append(td);
    tfoot.append(f);
  }
  const caption = document.createElement("caption");
  caption.className = "visually-hidden";
  caption.textContent = "各户的积分、星级、一票否决与分红；点表头排序，点户号看说明";
  table.replaceChildren(caption, thead, tbody, tfoot);
}

// ---------------------------------------------------------------------------------------------
// Tabs

const TABS = ["results", "explain", "compare", "render"];
function showTab(name, focus) {
  for (const t of TABS) {
    const on = t === name;
    const tab = $(`tab-${t}`);
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`panel-${t}`).hidden = !on;
  }
  if (focus) $(`tab-${name}`).focus();
  if (name === "compare") scheduleCompare(true);
  if (name === "render") showRender();
}
for (const t of TABS) {
  $(`tab-${t}`).addEventListener("click", () => showTab(t));
  $(`tab-${t}`).addEventListener("keydown", (e) => {
    const i = TABS.indexOf(t);
    if (e.key === "ArrowRight") showTab(TABS[(i + 1) % TABS.length], true);
    else if (e.key === "ArrowLeft") showTab(TABS[(i + TABS.length - 1) % TABS.length], true);
    else return;
    e.preventDefault();
  });
}

// ---------------------------------------------------------------------------------------------
// Explain one household

function explain(id, switchTab) {
  state.explained = id;
  const panel = $("panel-explain");
  const found = JSON.parse(bench.explain(view.state.doc.toString(), id));
  if (switchTab) showTab("explain");
  panel.replaceChildren();
  if (found.error) {
    const p = document.createElement("p");
    p.className = "bad";
    p.textContent = found.error;
    panel.append(p);
    return;
  }
  const h = document.createElement("h3");
  h.className = "explain-head";
  h.id = "explain-title";
  h.textContent = `${found.subject}${found.name ? " " + found.name : ""}，${found.period.label}`;
  const totals = document.createElement("p");
  totals.id = "explain-totals";
  totals.textContent = Object.entries(found.totals)
    .map(([k, v]) => `${k} ${v} 分`)
    .join("；");
  const list = document.createElement("ul");
  list.className = "entries";
  for (const e of found.entries) {
    const li = document.createElement("li");
    const amount = document.createElement("span");
    const n = Number(e.amount);
    amount.className = `amount ${n > 0 ? "plus" : n < 0 ? "minus" : ""}`;
    amount.textContent = `${n > 0 ? "+" : ""}${e.amount}`;
    li.append(amount, ` ${e.date} `);
    if (e.track) li.append(`〔${e.track}〕 `);
    if (e.clause) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "clause";
      b.textContent = `${e.clause}${e.clause_title ? " " + e.clause_title : ""}`;
      b.setAttribute("aria-label", `在编辑区里看${e.clause}`);
      const src = e.clause_source;
      b.addEventListener("click", () =>
        goToClause(clauseNumber(e.clause), src && src.line, src && src.utf16_column)
      );
      li.append(b, " ");
    }
    if (e.event) li.append(`${e.event} `);
    if (e.record) {
      const r = document.createElement("span");
      r.className = "record muted";
      r.textContent = `（${e.record.file} 第 ${e.record.line} 行）`;
      li.append(r);
    }
    const how = document.createElement("div");
    how.className = "small";
    how.textContent = [e.computation, ...(e.notes || [])].filter(Boolean).join("；");
    li.append(how);
    if (e.clause_text) {
      const prose = document.createElement("p");
      prose.className = "prose small";
      prose.textContent = `原文：${e.clause_text}`;
      li.append(prose);
    }
    list.append(li);
  }
  panel.append(h, totals, list);
}

// ---------------------------------------------------------------------------------------------
// Compare with the adopted version: the vote report

let compareTimer = null;
function scheduleCompare(now) {
  clearTimeout(compareTimer);
  compareTimer = setTimeout(compare, now ? 0 : 250);
}

function compare() {
  const status = $("adopted-status");
  const box = $("compare-summary");
  box.replaceChildren();
  if (state.adopted == null) {
    status.textContent = "还没有通过的版本：载入示例村或乡约文件时，先载入的文本就是通过的版本；也可以载入一个文件。";
    $("compare-frame").srcdoc = "";
    return;
  }
  status.textContent = `通过的版本：${state.adoptedName}`;
  const found = JSON.parse(bench.diff(state.adopted, view.state.doc.toString()));
  if (found.error) {
    const p = document.createElement("p");
    p.className = "bad";
    p.textContent = found.error;
    box.append(p);
    return;
  }
  const p = document.createElement("p");
  p.id = "compare-counts";
  p.textContent = found.equivalent ? "与通过的版本相同" : found.counts;
  const list = document.createElement("ul");
  for (const line of new Set([...found.summary, ...found.money])) {
    const li = document.createElement("li");
    li.textContent = line;
    list.append(li);
  }
  box.append(p, list);
  $("compare-frame").srcdoc = found.html;
  state.compareVersion = (state.compareVersion || 0) + 1;
  state.compare = found;
}

$("adopted-file").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  if (!file) return;
  state.adopted = decode(await file.arrayBuffer());
  state.adoptedName = file.name;
  scheduleCompare(true);
});

// ---------------------------------------------------------------------------------------------
// Render preview and printing

function showRender() {
  const found = JSON.parse(render(view.state.doc.toString()));
  const frame = $("render-frame");
  if (found.error) {
    frame.srcdoc = `<p style="font-family:sans-serif;color:#b42318">${found.error}</p>`;
  } else {
    frame.srcdoc = found.html;
  }
}
$("print").addEventListener("click", () => {
  const frame = $("render-frame");
  if (frame.contentWindow) frame.contentWindow.print();
});

// ---------------------------------------------------------------------------------------------
// Data: files dropped or picked, the sample village, a synthesised village

/** Text of a file: UTF-8 (with or without BOM), else GB18030 (what Excel in China writes). */
function decode(buffer) {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buffer);
  } catch {
    return new TextDecoder("gb18030").decode(buffer);
  }
}

/** Checks the editor's text again: the templates it may stand on have changed. */
function recheck() {
  view.dispatch({ effects: templatesChanged.of(null) });
  forceLinting(view);
}

/** Holds a template for the compacts that name it (依据「…」); a note when it is not one. */
function holdTemplate(name, text) {
  const r = JSON.parse(add_template(name, text));
  return r.error || null;
}

/** Which table a file is: register, events, a roster's name, pool, compact — or null. */
function roleOf(name, header) {
  const base = name.replace(/\.[^.]+$/, "");
  const lower = base.toLowerCase();
  if (/\.xy$/i.test(name)) return "compact";
  if (/分红/.test(base)) return "pool";
  if (/register|户籍|花名册/.test(lower)) return "register";
  if (/events|事项/.test(lower)) return "events";
  const roster = base.replace(/^名册[-－]/, "");
  if (roster && !/^\d+$/.test(roster) && header && !header.includes("事项")) {
    if (header.includes("户号") && !header.includes("编号")) return "register";
    return roster;
  }
  if (header && header.includes("事项") && header.includes("日期")) return "events";
  if (header && header.includes("户号")) return "register";
  return null;
}

function firstLine(text) {
  const line = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] || "";
  return line.split(",").map((c) => c.trim().replace(/^"|"$/g, ""));
}

let firstCompactLoaded = false;
function loadCompact(text, name) {
  setText(text);
  if (!firstCompactLoaded || state.adopted == null) {
    state.adopted = text;
    state.adoptedName = name;
    firstCompactLoaded = true;
  }
}

async function loadFiles(files) {
  const notes = [];
  for (const file of files) {
    const buffer = await file.arrayBuffer();
    if (/\.(xlsx|xls|xlsm)$/i.test(file.name)) {
      const book = XLSX.read(new Uint8Array(buffer), { type: "array", cellDates: true });
      const sheet = book.Sheets[book.SheetNames[0]];
      const rows = XLSX.utils
        .sheet_to_json(sheet, { header: 1, raw: false, dateNF: "yyyy-mm-dd", defval: "", blankrows: true })
        .map((r) => r.map((c) => String(c)));
      const role = roleOf(file.name, rows[0] || []);
      if (!role || role === "compact" || role === "pool") {
        notes.push(`不知道「${file.name}」是户籍、事项记录还是名册：请按文件名区分（例如 户籍.xlsx）`);
        continue;
      }
      const r = JSON.parse(bench.set_rows(role, file.name, JSON.stringify(rows)));
      if (r.error) notes.push(r.error);
      continue;
    }
    const text = decode(buffer);
    const role = roleOf(file.name, firstLine(text));
    // A .xy whose head is 模板「…」 is held as a template (the core decides, as the command
    // line does); any other is the compact.
    if (role === "compact") {
      if (holdTemplate(file.name, text) != null) loadCompact(text, file.name);
    } else if (role === "pool") {
      $("pool").value = text.trim();
      bench.set_pool(text.trim());
    } else if (role) bench.set_text(role, file.name, text);
    else notes.push(`不知道「${file.name}」是什么文件`);
  }
  showLoaded(notes);
  recheck(); // a template just loaded changes what the compact's check says
  evaluate();
}

function showLoaded(notes) {
  const l = JSON.parse(bench.loaded());
  const box = $("loaded");
  box.replaceChildren();
  const p = document.createElement("p");
  const parts = [];
  parts.push(`户籍：${l.register || "（未载入）"}`);
  parts.push(`事项记录：${l.events || "（未载入）"}`);
  for (const [name, file] of l.rosters) parts.push(`名册「${name}」：${file}`);
  for (const t of JSON.parse(held_templates())) parts.push(`模板「${t.title}」：${t.file}.xy`);
  p.textContent = parts.join("；");
  box.append(p);
  const short = [l.register, l.events, ...JSON.parse(held_templates()).map((t) => `${t.file}.xy`)].filter(Boolean);
  $("loaded-short").textContent = short.length ? `（${short.join("、")}）` : "";
  for (const n of notes || []) {
    const q = document.createElement("p");
    q.className = "warn";
    q.textContent = n;
    box.append(q);
  }
}

function loadSample() {
  bench.clear();
  clear_templates();
  bench.set_text("register", "register.csv", sampleRegister);
  bench.set_text("events", "events.csv", sampleEvents);
  bench.set_text("党员", "党员.csv", sampleMembers);
  bench.set_pool(samplePool.trim());
  $("pool").value = samplePool.trim();
  state.adopted = null;
  state.previous = new Map();
  state.results = null;
  loadCompact(sampleCompact, "youxiqiao.xy（示例村）");
  showLoaded();
  $("data-pane").open = false;
  evaluate();
}

$("load-sample").addEventListener("click", loadSample);
$("open-files").addEventListener("change", async (e) => {
  const files = [...e.target.files];
  e.target.value = ""; // the same files can be picked again
  await loadFiles(files);
});
$("pool").addEventListener("change", (e) => {
  bench.set_pool(e.target.value);
  evaluate();
});
$("format").addEventListener("click", () => {
  const found = JSON.parse(format(view.state.doc.toString()));
  if (found.text != null) setText(found.text);
  else $("problems").prepend(Object.assign(document.createElement("p"), { className: "bad", textContent: found.error }));
});
$("synth-run").addEventListener("click", () => {
  const households = Number($("synth-households").value) || 300;
  const events = Number($("synth-events").value) || 0;
  const r = JSON.parse(bench.synth(view.state.doc.toString(), households, events, 1));
  if (r.error) {
    showLoaded([r.error]);
    return;
  }
  const l = JSON.parse(bench.loaded());
  $("pool").value = l.pool || "";
  state.previous = new Map();
  showLoaded([`已生成模拟村：${households} 户，${events} 条记录`]);
  evaluate();
});

const drop = $("drop");
drop.addEventListener("dragover", (e) => {
  e.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  loadFiles([...e.dataTransfer.files]);
});
drop.addEventListener("click", () => $("open-files").click());
drop.addEventListener("keydown", (e) => {
  if (e.key === "Enter" || e.key === " ") {
    e.preventDefault();
    $("open-files").click();
  }
});
document.addEventListener("dragover", (e) => e.preventDefault());
document.addEventListener("drop", (e) => {
  if (e.target !== drop) {
    e.preventDefault();
    loadFiles([...e.dataTransfer.files]);
  }
});

// ---------------------------------------------------------------------------------------------
// Served by `xiangyue serve`: the server's villages and the clerks' pages

async function serverVillages() {
  if (!/^https?:$/.test(location.protocol)) return;
  $("clerk-link").hidden = false;
  let villages;
  try {
    const response = await fetch("/api/villages");
    if (!response.ok) return;
    villages = await response.json();
  } catch {
    return;
  }
  if (!Array.isArray(villages) || villages.length === 0) return;
  const select = $("server-village");
  for (const v of villages) {
    const o = document.createElement("option");
    o.value = v.id;
    o.textContent = v.name;
    select.append(o);
  }
  $("server-villages").hidden = false;
  $("load-server-village").addEventListener("click", async () => {
    const id = encodeURIComponent(select.value);
    const get = async (what) => {
      const r = await fetch(`/api/villages/${id}/${what}`);
      return r.ok ? r.text() : null;
    };
    const [compact, register, events, adopted] = await Promise.all(
      ["compact", "register", "events", "adopted"].map(get)
    );
    const json = (what) =>
      fetch(`/api/villages/${id}/${what}`)
        .then((r) => (r.ok ? r.json() : {}))
        .catch(() => ({}));
    const [rosters, pool, templates] = await Promise.all([json("rosters"), get("pool"), json("templates")]);
    bench.clear();
    clear_templates();
    for (const [name, text] of Object.entries(templates || {})) {
      if (typeof text === "string") holdTemplate(`${name}.xy`, text);
    }
    if (register != null) bench.set_text("register", "register.csv", register);
    if (events != null) bench.set_text("events", "events.csv", events);
    for (const [name, text] of Object.entries(rosters || {})) {
      if (typeof text === "string") bench.set_text(name, `${name}.csv`, text);
    }
    if (pool) {
      $("pool").value = pool.trim();
      bench.set_pool(pool.trim());
    }
    state.previous = new Map();
    state.results = null;
    if (compact != null) setText(compact);
    state.adopted = adopted != null ? adopted : compact;
    state.adoptedName = `${select.selectedOptions[0].textContent}（通过的版本）`;
    firstCompactLoaded = true;
    showLoaded();
    $("data-pane").open = false;
    recheck();
    evaluate();
  });
}

showLoaded();
evaluate();
serverVillages();
forceLinting(view);
