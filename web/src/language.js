// 乡约 highlighting for CodeMirror 6, built from the same TextMate grammar as the VS Code
// package (editors/vscode/syntaxes/xiangyue.tmLanguage.json): its top-level patterns are tried
// in order at each position, as TextMate does, and each scope is mapped to a highlighting tag.
import { StreamLanguage, HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags as t } from "@lezer/highlight";
import grammar from "../../editors/vscode/syntaxes/xiangyue.tmLanguage.json";

/** The grammar's rules, flattened in order: [sticky regex, scope, captures]. */
function rules() {
  const out = [];
  const add = (rule) => {
    if (rule.include) {
      add(grammar.repository[rule.include.slice(1)]);
    } else if (rule.patterns) {
      rule.patterns.forEach(add);
    } else if (rule.match) {
      // Oniguruma's escapes (\" for a quote) are not all valid in a Unicode-mode JavaScript
      // regex: compile without the u flag (the grammar's characters are all in the BMP).
      try {
        out.push({ re: new RegExp(rule.match, "yd"), scope: rule.name || "", captures: rule.captures });
      } catch (e) {
        console.warn("乡约高亮：跳过一条规则", rule.match, e);
      }
    }
  };
  grammar.patterns.forEach(add);
  return out;
}

const RULES = rules();

/** How many capturing groups a pattern has. */
function groupCount(source) {
  return new RegExp(`${source}|`).exec("").length - 1;
}

// All rules in one regex, in order — `(rule0)|(rule1)|…` —, so that one search finds the
// earliest place any rule matches, and at that place the first rule in order (as TextMate
// tries them), instead of trying every rule at every character.
const COMBINED = (() => {
  let group = 1;
  const parts = [];
  for (const rule of RULES) {
    rule.group = group; // the group of the whole rule; its own captures follow
    group += 1 + groupCount(rule.re.source);
    parts.push(`(${rule.re.source})`);
  }
  return new RegExp(parts.join("|"), "gd");
})();

/** A TextMate scope → a CodeMirror token name (a tag in `style` below). */
function token(scope) {
  if (scope.startsWith("comment")) return "comment";
  if (scope.startsWith("keyword.control.heading")) return "heading";
  if (scope.startsWith("entity.name.section")) return "heading";
  if (scope.startsWith("string")) return "string";
  if (scope.startsWith("constant.numeric")) return "number";
  if (scope.startsWith("constant.other.clause-ref")) return "link";
  if (scope.startsWith("keyword.operator")) return "operator";
  if (scope.startsWith("storage.type")) return "typeName";
  if (scope.startsWith("keyword")) return "keyword";
  if (scope.startsWith("punctuation")) return "punctuation";
  return null;
}

export const xiangyueLanguage = StreamLanguage.define({
  name: "xiangyue",
  startState: () => ({ queue: [] }),
  copyState: (state) => ({ queue: state.queue.slice() }),
  token(stream, state) {
    // The rest of a match with captures: each group its own token, the gaps plain.
    if (state.queue.length > 0) {
      const [end, tok] = state.queue.shift();
      stream.pos = Math.max(end, stream.pos + 1);
      return tok;
    }
    const line = stream.string;
    COMBINED.lastIndex = stream.pos;
    let m = COMBINED.exec(line);
    while (m && m[0].length === 0) {
      COMBINED.lastIndex = m.index + 1;
      m = COMBINED.exec(line);
    }
    if (!m) {
      stream.skipToEnd();
      return null;
    }
    if (m.index > stream.pos) {
      stream.pos = m.index;
      return null;
    }
    const rule = RULES.find((r) => m[r.group] !== undefined);
    const end = stream.pos + m[0].length;
    if (rule && rule.captures && m.indices) {
      const segments = [];
      let at = stream.pos;
      for (const [g, cap] of Object.entries(rule.captures)) {
        const span = m.indices[rule.group + Number(g)];
        if (!span || span[0] === span[1] || span[0] < at) continue;
        if (span[0] > at) segments.push([span[0], null]);
        segments.push([span[1], token((cap && cap.name) || rule.scope)]);
        at = span[1];
      }
      if (end > at) segments.push([end, token(rule.scope)]);
      if (segments.length > 0) {
        const [first, tok] = segments.shift();
        state.queue = segments;
        stream.pos = Math.max(first, stream.pos + 1);
        return tok;
      }
    }
    stream.pos = end;
    return rule ? token(rule.scope) : null;
  },
  tokenTable: {
    heading: t.heading,
    link: t.link,
    typeName: t.typeName,
    punctuation: t.punctuation,
  },
  languageData: { commentTokens: { line: "#" } },
});

export const xiangyueHighlight = syntaxHighlighting(
  HighlightStyle.define([
    { tag: t.comment, color: "#6a737d", fontStyle: "italic" },
    { tag: t.heading, color: "#8a1c1c", fontWeight: "bold" },
    { tag: t.string, color: "#0b6e4f" },
    { tag: t.number, color: "#9a4d00" },
    { tag: t.link, color: "#1f5fa8", textDecoration: "underline" },
    { tag: t.operator, color: "#6f42c1" },
    { tag: t.typeName, color: "#005cc5" },
    { tag: t.keyword, color: "#a4161a", fontWeight: "bold" },
    { tag: t.punctuation, color: "#57606a" },
  ])
);
