//! `xiangyue lsp` from the editor's side: the binary spoken to over stdin/stdout with
//! Content-Length framing, as VS Code does — initialize, open a compact with errors, quick fix,
//! hover, definition, references, completion, formatting, outline, rename, shutdown. Positions
//! sent and checked are computed here independently, in UTF-16 code units.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::{Value, json};

struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Server {
            child,
            stdin,
            stdout,
            next_id: 1,
        }
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_string(message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut length = None;
        loop {
            let mut line = String::new();
            assert!(
                self.stdout.read_line(&mut line).unwrap() > 0,
                "server closed"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = Some(n.parse::<usize>().unwrap());
            }
        }
        let mut body = vec![0; length.unwrap()];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its result, skipping notifications on the way.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message.get("id") == Some(&json!(id)) {
                assert!(message.get("error").is_none(), "{message}");
                return message["result"].clone();
            }
        }
    }

    /// The next publishDiagnostics notification.
    fn diagnostics(&mut self) -> Value {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics" {
                return message["params"].clone();
            }
        }
    }

    fn open(&mut self, uri: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "xiangyue", "version": 1, "text": text}}),
        );
        self.diagnostics()
    }
}

/// The LSP position (line, UTF-16 column) of the `nth` occurrence of `needle` in `text`, plus
/// `skip` characters.
fn position_of(text: &str, needle: &str, nth: usize, skip: usize) -> Value {
    let (offset, _) = text.match_indices(needle).nth(nth).unwrap();
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let prefix: String = text[line_start..]
        .chars()
        .take(before[line_start..].chars().count() + skip)
        .collect();
    json!({"line": line, "character": prefix.encode_utf16().count()})
}

fn at(uri: &str, position: Value) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position})
}

const SAMPLE: &str = "file:///village/youxiqiao.xy";
const BROKEN: &str = "file:///village/draft.xy";

const BROKEN_TEXT: &str = "乡约「甲村」\n事项 义务投工 { 天数：数量（天） }\n\n第一条 义务投工\n  凡 义务投劳，每天 加 2 分。\n";

#[test]
fn a_conversation_with_the_server() {
    let sample = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/compacts/youxiqiao-demo/youxiqiao.xy"
    ))
    .unwrap();
    let mut server = Server::start();

    let init = server.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    insta::assert_yaml_snapshot!("initialize", init);
    server.notify("initialized", json!({}));

    // The sample checks: no diagnostics.
    let published = server.open(SAMPLE, &sample);
    assert_eq!(published["uri"], SAMPLE);
    assert_eq!(published["diagnostics"], json!([]));

    // A draft with a misspelled 事项: E0101 in Chinese, on 义务投劳 (line 4, columns 4–8).
    let published = server.open(BROKEN, BROKEN_TEXT);
    insta::assert_yaml_snapshot!("broken_diagnostics", published);
    let diagnostic = &published["diagnostics"][0];
    assert_eq!(diagnostic["code"], "E0101");
    assert_eq!(
        diagnostic["range"],
        json!({"start": {"line": 4, "character": 4}, "end": {"line": 4, "character": 8}})
    );

    // Its quick fix replaces exactly that name.
    let actions = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": BROKEN}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}}),
    );
    insta::assert_yaml_snapshot!("quick_fix", actions);
    let edit = &actions[0]["edit"]["changes"][BROKEN][0];
    assert_eq!(edit["newText"], "义务投工");
    assert_eq!(edit["range"], diagnostic["range"]);

    // Applying it through didChange leaves no diagnostics.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": BROKEN, "version": 2},
               "contentChanges": [{"range": diagnostic["range"], "text": "义务投工"}]}),
    );
    assert_eq!(server.diagnostics()["diagnostics"], json!([]));

    // Hover on 例外于 第十六条 shows 第十六条 with its 原文.
    let hover = server.request(
        "textDocument/hover",
        at(SAMPLE, position_of(&sample, "例外于 第十六条", 0, 5)),
    );
    insta::assert_yaml_snapshot!("hover_clause_reference", hover);
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.starts_with("**第十六条 乱倒垃圾**"), "{shown}");
    assert!(
        shown.contains("原文：乱倒垃圾的，每次扣 5 分；党员户加倍扣分。"),
        "{shown}"
    );

    // Hover on a 事项 used in a rule shows its declaration and the clauses using it.
    let hover = server.request(
        "textDocument/hover",
        at(SAMPLE, position_of(&sample, "凡 义务投工", 0, 3)),
    );
    insta::assert_yaml_snapshot!("hover_event", hover);

    // Definition: 第十六条 in 例外于 jumps to the head of 第十六条 (line 121, 0-based).
    let definition = server.request(
        "textDocument/definition",
        at(SAMPLE, position_of(&sample, "例外于 第十六条", 0, 6)),
    );
    assert_eq!(definition[0]["uri"], SAMPLE);
    assert_eq!(
        definition[0]["range"]["start"],
        position_of(&sample, "第十六条 乱倒垃圾", 0, 0)
    );

    // Definition of an account used in 计入 jumps to its 账户 line.
    let definition = server.request(
        "textDocument/definition",
        at(SAMPLE, position_of(&sample, "计入 户积分、兑换积分", 0, 7)),
    );
    assert_eq!(
        definition[0]["range"]["start"],
        position_of(&sample, "兑换积分", 0, 0)
    );

    // References of 义务投工: its declaration, 凡 义务投工 in 第四条, and the example's two records.
    let references = server.request(
        "textDocument/references",
        json!({"textDocument": {"uri": SAMPLE}, "position": position_of(&sample, "事项 义务投工", 0, 4),
               "context": {"includeDeclaration": true}}),
    );
    let lines: Vec<u64> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![27, 69, 189, 190]);

    // Completion after 凡 义务 offers 义务投工, replacing what was typed.
    let mut typed = sample.clone();
    typed.push_str("\n第三十条 试\n  凡 义务");
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": SAMPLE, "version": 2}, "contentChanges": [{"text": typed}]}),
    );
    server.diagnostics();
    let last_line = typed.matches('\n').count();
    let completion = server.request(
        "textDocument/completion",
        at(SAMPLE, json!({"line": last_line, "character": 6})),
    );
    insta::assert_yaml_snapshot!("completion", completion);
    let labels: Vec<&str> = completion
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, vec!["义务投工"]);
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": SAMPLE, "version": 3}, "contentChanges": [{"text": sample}]}),
    );
    assert_eq!(server.diagnostics()["diagnostics"], json!([]));

    // Full-width letters typed with an input method complete as their ASCII forms.
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "file:///village/ab.xy", "languageId": "xiangyue", "version": 1,
               "text": "乡约「乙村」\n事项 ABC检查\n"}}),
    );
    server.diagnostics();
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///village/ab.xy", "version": 2},
               "contentChanges": [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}},
                                   "text": "第一条 检查\n  凡 ＡＢ"}]}),
    );
    server.diagnostics();
    let completion = server.request(
        "textDocument/completion",
        at("file:///village/ab.xy", json!({"line": 3, "character": 6})),
    );
    assert_eq!(completion[0]["label"], "ABC检查");
    assert_eq!(completion[0]["filterText"], "ＡＢC检查");
    assert_eq!(
        completion[0]["textEdit"]["range"],
        json!({"start": {"line": 3, "character": 4}, "end": {"line": 3, "character": 6}})
    );

    // Formatting a badly laid-out draft gives the canonical text as one edit.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": BROKEN, "version": 3},
               "contentChanges": [{"text": "乡约「甲村」\n事项   义务投工{天数：数量（天）}\n第一条 义务投工\n凡 义务投工，每天 加 2 分。\n"}]}),
    );
    server.diagnostics();
    let formatting = server.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": BROKEN}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    insta::assert_yaml_snapshot!("formatting", formatting);

    // The outline of the broken-then-fixed draft.
    let symbols = server.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": BROKEN}}),
    );
    insta::assert_yaml_snapshot!("document_symbols", symbols);

    // Renaming 第十六条 to 16 rewrites its head and 例外于 第十六条.
    let rename = server.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": SAMPLE}, "position": position_of(&sample, "第十六条 乱倒垃圾", 0, 1),
               "newName": "三十一"}),
    );
    insta::assert_yaml_snapshot!("rename_clause", rename);

    // Renaming a 事项 rewrites its declaration and every use.
    let rename = server.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": SAMPLE}, "position": position_of(&sample, "凡 义务投工", 0, 2),
               "newName": "义务劳动"}),
    );
    let edits = rename["changes"][SAMPLE].as_array().unwrap();
    assert_eq!(edits.len(), 4);
    assert!(edits.iter().all(|e| e["newText"] == "义务劳动"));

    // Inlay hints: the chapter's cap and the rule's cap on 第四条; 第十六条 and 第十七条 show
    // their exception link.
    let hints = server.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": SAMPLE},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 200, "character": 0}}}),
    );
    insta::assert_yaml_snapshot!("inlay_hints", hints);
    let label_at = |line: u64| {
        hints
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["position"]["line"] == line)
            .map(|h| h["label"].as_str().unwrap().to_string())
    };
    assert_eq!(
        label_at(67).as_deref(),
        Some("（本章 每年 至多 200 分；每年 至多 40 分）")
    );
    assert_eq!(
        label_at(121).as_deref(),
        Some("（本章 每年 至多 扣 100 分；例外：第十七条）")
    );
    assert_eq!(
        label_at(125).as_deref(),
        Some("（本章 每年 至多 扣 100 分；例外于 第十六条）")
    );

    // Semantic tokens: decoded from their deltas, 义务投工's declaration is an enum (事项) token
    // of 4 UTF-16 units on line 27, column 3.
    let tokens = server.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": SAMPLE}}),
    );
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let (mut line, mut column) = (0, 0);
    let mut decoded = Vec::new();
    for t in data.chunks(5) {
        if t[0] > 0 {
            column = 0;
        }
        line += t[0];
        column += t[1];
        decoded.push((line, column, t[2], t[3]));
    }
    assert!(decoded.contains(&(27, 3, 4, 0)), "{decoded:?}");
    // 第十六条 in 例外于 第十六条 (line 127) is a clause-number token; 原文 lines are strings.
    assert!(decoded.contains(&(127, 6, 4, 5)), "{decoded:?}");
    assert!(decoded.contains(&(122, 2, 25, 6)), "{decoded:?}");

    let shutdown = server.request("shutdown", json!(null));
    assert_eq!(shutdown, Value::Null);
    server.notify("exit", json!(null));
    let status = server.child.wait().unwrap();
    assert!(status.success());
}
