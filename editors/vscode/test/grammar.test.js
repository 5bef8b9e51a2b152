// Tokenizes every compact of the repository (compacts/**/*.xy and the ```xy examples of
// docs/*.md and README.md) with the TextMate grammar, as VS Code does (vscode-textmate +
// vscode-oniguruma), and checks what a reader sees:
// - every keyword of grammar/xiangyue.pest is in the grammar, and every keyword written as a
//   word (between spaces or marks) gets a keyword or storage scope;
// - text in 「」“”『』 gets a string scope, and the text after 原文： too;
// - Arabic numbers get a numeric scope; # comments a comment scope;
// - no line with something on it is left without any scope;
// - package.json ties .xy to the grammar, the comment mark is the pest grammar's, the client
//   starts `xiangyue lsp`.
'use strict';

const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const here = path.join(__dirname, '..');
const root = path.join(here, '..', '..');
const grammarPath = path.join(here, 'syntaxes', 'xiangyue.tmLanguage.json');
const grammarText = fs.readFileSync(grammarPath, 'utf8');

// Words of the pest grammar that are not keywords but parts of numbers, dates, units and
// marks: they are scoped as numbers/units or left as text, and not asserted as keywords.
const NOT_KEYWORDS = new Set([
  '万', '亿', '点', '万元', '元', '年', '月', '日', '号', '分', '小时', '分钟', '天', '次', '人',
  '亩', '个', '件', '岁', '平方米', '米', '斤', '公斤', '位小数', '章', '条', '及以后', '以后', '角',
]);

function pestKeywords() {
  const pest = fs.readFileSync(path.join(root, 'grammar', 'xiangyue.pest'), 'utf8');
  const words = new Set();
  for (const line of pest.split('\n')) {
    const code = line.replace(/\/\/.*$/, '');
    for (const m of code.matchAll(/"([^"]+)"/g)) {
      if (/^\p{Script=Han}+$/u.test(m[1])) words.add(m[1]);
    }
  }
  return words;
}

function walk(dir, ext, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, ext, out);
    else if (entry.name.endsWith(ext)) out.push(p);
  }
  return out;
}

function sources() {
  const files = walk(path.join(root, 'compacts'), '.xy', []).map((file) => ({
    name: path.relative(root, file),
    text: fs.readFileSync(file, 'utf8'),
  }));
  const docs = walk(path.join(root, 'docs'), '.md', []).concat([path.join(root, 'README.md')]);
  for (const file of docs) {
    const text = fs.readFileSync(file, 'utf8');
    let n = 0;
    for (const m of text.matchAll(/^```xy\s*\n([\s\S]*?)^```/gm)) {
      n += 1;
      sources.docBlocks += 1;
      files.push({ name: `${path.relative(root, file)} 第${n}段 xy`, text: m[1] });
    }
  }
  return files;
}
sources.docBlocks = 0;

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => vsctm.parseRawGrammar(grammarText, grammarPath),
  });
  return registry.loadGrammar('source.xiangyue');
}

// The scopes of each character of a line.
function scopesOf(grammar, line, state) {
  const result = grammar.tokenizeLine(line, state);
  const perChar = new Array(line.length).fill(null);
  for (const token of result.tokens) {
    for (let i = token.startIndex; i < Math.min(token.endIndex, line.length); i += 1) {
      perChar[i] = token.scopes.slice(1);
    }
  }
  return { perChar, state: result.ruleStack };
}

const MARK = '\\s\\u3000，,、：:；;。．（()）｛{｝}「」“”『』"';
const has = (scopes, prefix) => scopes !== null && scopes.some((s) => s.startsWith(prefix));

async function main() {
  const failures = [];
  const fail = (msg) => {
    if (failures.length < 40) failures.push(msg);
    else if (failures.length === 40) failures.push('……（其余从略）');
  };

  // 1. Every keyword of the pest grammar is in the TextMate grammar.
  const keywords = [...pestKeywords()].filter((w) => !NOT_KEYWORDS.has(w));
  for (const word of keywords) {
    if (!grammarText.includes(word)) fail(`pest 语法的关键字「${word}」不在 TextMate 语法中`);
  }
  if (keywords.length < 100) fail(`从 pest 语法只读到 ${keywords.length} 个关键字，少于预期`);

  // 2. The package wires .xy to this grammar and to the comment mark of the pest grammar.
  const pkg = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));
  const lang = pkg.contributes.languages.find((l) => l.id === 'xiangyue');
  if (!lang || !lang.extensions.includes('.xy')) fail('package.json 没有把 .xy 关联到乡约');
  const grammarEntry = pkg.contributes.grammars.find((g) => g.language === 'xiangyue');
  if (!grammarEntry || path.resolve(here, grammarEntry.path) !== grammarPath) {
    fail('package.json 的 grammars 没有指向 syntaxes/xiangyue.tmLanguage.json');
  }
  const config = JSON.parse(fs.readFileSync(path.resolve(here, lang.configuration), 'utf8'));
  const pest = fs.readFileSync(path.join(root, 'grammar', 'xiangyue.pest'), 'utf8');
  if (!/^COMMENT\s*=.*'#'\.\.'#'/m.test(pest) || config.comments.lineComment !== '#') {
    fail('注释符号与 pest 语法的 COMMENT 不一致');
  }
  for (const [open, close] of [['「', '」'], ['（', '）'], ['{', '}']]) {
    if (!config.brackets.some(([o, c]) => o === open && c === close)) fail(`括号 ${open}${close} 未配置`);
  }
  const client = fs.readFileSync(path.join(here, pkg.main), 'utf8');
  if (!client.includes("args: ['lsp']")) fail('extension.js 没有以「xiangyue lsp」启动语言服务');

  const grammar = await loadGrammar();
  const files = sources();
  if (files.length < 3 || sources.docBlocks < 5) fail('找到的乡约太少，测试没读到仓库的乡约');
  const keywordSet = new Set(keywords);
  const wordRe = new RegExp(`(?<=^|[${MARK}])([^${MARK}0-9０-９#＃]+)(?=$|[${MARK}])`, 'gu');
  const counts = { lines: 0, keywords: 0, strings: 0, numbers: 0, comments: 0, prose: 0 };

  for (const file of files) {
    let state = vsctm.INITIAL;
    file.text.split(/\r?\n/).forEach((line, index) => {
      const where = `${file.name}:${index + 1}`;
      const { perChar, state: next } = scopesOf(grammar, line, state);
      state = next;
      if (line.trim() === '') return;
      counts.lines += 1;
      // Nothing on the line at all scoped: the grammar missed it.
      if (perChar.every((s) => s === null || s.length === 0)) fail(`${where} 整行没有着色：${line}`);

      const prose = line.match(/^\s*原文\s*[:：]\s*/);
      if (prose) {
        counts.prose += 1;
        const at = prose[0].length;
        if (at < line.length && !has(perChar[at], 'string.unquoted.prose')) {
          fail(`${where} 原文没有按文本着色：${line}`);
        }
        return; // the rest of the line is the villagers' text, not the language
      }
      const hash = line.search(/[#＃]/);
      const code = line;
      if (hash >= 0 && !/[「“『"][^」”』"]*[#＃]/.test(line)) {
        counts.comments += 1;
        if (!has(perChar[hash], 'comment.line')) fail(`${where} 注释没有按注释着色：${line}`);
      }
      const end = hash >= 0 && has(perChar[hash], 'comment') ? hash : code.length;
      const text = code.slice(0, end);
      for (const m of text.matchAll(/「[^」]*」|“[^”]*”|『[^』]*』/g)) {
        // A clause or chapter title is text of its own (quotes included), as in the pest grammar.
        if (has(perChar[m.index], 'entity.name.section')) continue;
        counts.strings += 1;
        for (let i = m.index; i < m.index + m[0].length; i += 1) {
          if (!has(perChar[i], 'string.quoted')) {
            fail(`${where} 引号中的「${m[0]}」第 ${i - m.index + 1} 字没有按字符串着色`);
            break;
          }
        }
      }
      for (const m of text.matchAll(/[0-9０-９]+(?:[.．][0-9０-９]+)?/g)) {
        if (has(perChar[m.index], 'string') || has(perChar[m.index], 'entity.name')) continue;
        counts.numbers += 1;
        const s = perChar[m.index];
        if (!has(s, 'constant.numeric') && !has(s, 'constant.other.clause-ref') && !has(s, 'keyword.control')) {
          fail(`${where} 数字「${m[0]}」没有按数字着色（${(s || []).join(' ')}）：${line}`);
        }
      }
      for (const m of text.matchAll(wordRe)) {
        if (!keywordSet.has(m[1])) continue;
        const s = perChar[m.index];
        if (has(s, 'string') || has(s, 'entity.name') || has(s, 'comment')) continue;
        counts.keywords += 1;
        if (!has(s, 'keyword') && !has(s, 'storage.type') && !has(s, 'constant')) {
          fail(`${where} 关键字「${m[1]}」没有按关键字着色（${(s || []).join(' ')}）：${line}`);
        }
      }
    });
  }

  console.log(
    `乡约语法：${files.length} 份乡约（其中文档示例 ${sources.docBlocks} 段），${counts.lines} 行；` +
      `检查了关键字 ${counts.keywords} 处、字符串 ${counts.strings} 处、数字 ${counts.numbers} 处、` +
      `注释 ${counts.comments} 处、原文 ${counts.prose} 行；pest 关键字 ${keywords.length} 个`
  );
  if (failures.length > 0) {
    console.error(failures.join('\n'));
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
