//! `xiangyue lsp`: the language server over stdin/stdout (JSON-RPC with Content-Length
//! framing), a synchronous loop like rust-analyzer's. What each request answers is computed by
//! `crate::lsp`; this file keeps the open documents and routes messages.

use std::collections::HashMap;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    InlayHintRequest, References, Rename, Request as _, SemanticTokensFullRequest,
};
use lsp_types::{
    CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability, CompletionOptions,
    CompletionParams, CompletionResponse, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DocumentFormattingParams, DocumentSymbolParams,
    DocumentSymbolResponse, GotoDefinitionParams, GotoDefinitionResponse, HoverParams,
    HoverProviderCapability, Location, OneOf, PublishDiagnosticsParams, ReferenceParams,
    RenameParams, ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    Uri, WorkspaceEdit,
};
use lsp_types::{
    InlayHintParams, SemanticTokensFullOptions, SemanticTokensLegend, SemanticTokensOptions,
    SemanticTokensParams, SemanticTokensResult, SemanticTokensServerCapabilities,
};
use serde_json::Value;

use super::{EXIT_ERRORS, EXIT_OK};
use crate::lsp::{self, Document};

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        inlay_hint_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: SemanticTokensLegend {
                    token_types: lsp::TOKEN_TYPES.to_vec(),
                    token_modifiers: Vec::new(),
                },
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                ..SemanticTokensOptions::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(
                ["第", "凡", "入", "按", "、", " ", "　"]
                    .iter()
                    .map(|s| (*s).to_string())
                    .collect(),
            ),
            ..CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

pub fn run() -> u8 {
    let (connection, io_threads) = Connection::stdio();
    let caps = match serde_json::to_value(capabilities()) {
        Ok(caps) => caps,
        Err(_) => return EXIT_ERRORS,
    };
    let init = serde_json::json!({
        "capabilities": caps,
        "serverInfo": ServerInfo {
            name: "xiangyue".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        },
    });
    let started = connection
        .initialize_start()
        .and_then(|(id, _params)| connection.initialize_finish(id, init));
    if let Err(error) = started {
        eprintln!("乡约语言服务器：初始化失败：{error}");
        return EXIT_ERRORS;
    }
    let code = match serve(&connection) {
        Ok(()) => EXIT_OK,
        Err(error) => {
            eprintln!("乡约语言服务器：{error}");
            EXIT_ERRORS
        }
    };
    drop(connection);
    match io_threads.join() {
        Ok(()) => code,
        Err(error) => {
            eprintln!("乡约语言服务器：{error}");
            EXIT_ERRORS
        }
    }
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn serve(connection: &Connection) -> Result<(), Failure> {
    let mut documents: HashMap<String, Document> = HashMap::new();
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                let id = request.id.clone();
                let method = request.method.clone();
                let response = match answer(&documents, request) {
                    Ok(Some(result)) => Response::new_ok(id, result),
                    Ok(None) => Response::new_err(
                        id,
                        ErrorCode::MethodNotFound as i32,
                        format!("乡约语言服务器不支持 {method}"),
                    ),
                    Err(error) => {
                        Response::new_err(id, ErrorCode::InvalidParams as i32, error.to_string())
                    }
                };
                connection.sender.send(Message::Response(response))?;
            }
            Message::Notification(notification) => {
                if let Some(uri) = notice(&mut documents, notification)? {
                    publish(connection, &documents, uri)?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// Applies a notification; returns the document whose diagnostics changed.
fn notice(
    documents: &mut HashMap<String, Document>,
    notification: Notification,
) -> Result<Option<Uri>, Failure> {
    match notification.method.as_str() {
        DidOpenTextDocument::METHOD => {
            let params: DidOpenTextDocumentParams = serde_json::from_value(notification.params)?;
            let uri = params.text_document.uri;
            let templates = templates_for(uri.as_str());
            documents.insert(
                uri.as_str().to_string(),
                Document::with_templates(params.text_document.text, templates),
            );
            Ok(Some(uri))
        }
        DidChangeTextDocument::METHOD => {
            let params: DidChangeTextDocumentParams = serde_json::from_value(notification.params)?;
            let uri = params.text_document.uri;
            let Some(document) = documents.get_mut(uri.as_str()) else {
                return Ok(None);
            };
            document.edit_all(
                params
                    .content_changes
                    .iter()
                    .map(|change| (change.range, change.text.as_str())),
            );
            Ok(Some(uri))
        }
        DidCloseTextDocument::METHOD => {
            let params: DidCloseTextDocumentParams = serde_json::from_value(notification.params)?;
            documents.remove(params.text_document.uri.as_str());
            Ok(None)
        }
        _ => Ok(None),
    }
}

fn publish(
    connection: &Connection,
    documents: &HashMap<String, Document>,
    uri: Uri,
) -> Result<(), Failure> {
    let diagnostics = documents
        .get(uri.as_str())
        .map(lsp::diagnostics)
        .unwrap_or_default();
    let params = PublishDiagnosticsParams::new(uri, diagnostics, None);
    let notification = Notification::new(PublishDiagnostics::METHOD.to_string(), params);
    connection
        .sender
        .send(Message::Notification(notification))?;
    Ok(())
}

fn document<'a>(
    documents: &'a HashMap<String, Document>,
    uri: &Uri,
) -> Result<&'a Document, Failure> {
    documents
        .get(uri.as_str())
        .ok_or_else(|| format!("没有打开的文件：{}", uri.as_str()).into())
}

#[expect(
    clippy::mutable_key_type,
    reason = "lsp-types keys WorkspaceEdit by Uri, whose cache clippy sees as interior mutability"
)]
fn answer(
    documents: &HashMap<String, Document>,
    request: Request,
) -> Result<Option<Value>, Failure> {
    let Request { method, params, .. } = request;
    let value = match method.as_str() {
        CodeActionRequest::METHOD => {
            let p: CodeActionParams = serde_json::from_value(params)?;
            let doc = document(documents, &p.text_document.uri)?;
            let actions: Vec<CodeActionOrCommand> =
                lsp::code_actions(doc, &p.text_document.uri, p.range)
                    .into_iter()
                    .map(CodeActionOrCommand::CodeAction)
                    .collect();
            serde_json::to_value(actions)?
        }
        Formatting::METHOD => {
            let p: DocumentFormattingParams = serde_json::from_value(params)?;
            let doc = document(documents, &p.text_document.uri)?;
            serde_json::to_value(lsp::formatting(doc))?
        }
        DocumentSymbolRequest::METHOD => {
            let p: DocumentSymbolParams = serde_json::from_value(params)?;
            let doc = document(documents, &p.text_document.uri)?;
            serde_json::to_value(DocumentSymbolResponse::Nested(lsp::document_symbols(doc)))?
        }
        HoverRequest::METHOD => {
            let p: HoverParams = serde_json::from_value(params)?;
            let at = p.text_document_position_params;
            let doc = document(documents, &at.text_document.uri)?;
            serde_json::to_value(lsp::hover(doc, at.position))?
        }
        GotoDefinition::METHOD => {
            let p: GotoDefinitionParams = serde_json::from_value(params)?;
            let at = p.text_document_position_params;
            let doc = document(documents, &at.text_document.uri)?;
            let locations: Vec<Location> = lsp::definition(doc, at.position)
                .into_iter()
                .map(|range| Location::new(at.text_document.uri.clone(), range))
                .collect();
            if locations.is_empty() {
                Value::Null
            } else {
                serde_json::to_value(GotoDefinitionResponse::Array(locations))?
            }
        }
        References::METHOD => {
            let p: ReferenceParams = serde_json::from_value(params)?;
            let at = p.text_document_position;
            let doc = document(documents, &at.text_document.uri)?;
            let locations: Vec<Location> =
                lsp::references(doc, at.position, p.context.include_declaration)
                    .into_iter()
                    .map(|range| Location::new(at.text_document.uri.clone(), range))
                    .collect();
            serde_json::to_value(locations)?
        }
        Rename::METHOD => {
            let p: RenameParams = serde_json::from_value(params)?;
            let at = p.text_document_position;
            let doc = document(documents, &at.text_document.uri)?;
            match lsp::rename(doc, at.position, &p.new_name) {
                Some(edits) => {
                    let changes = std::iter::once((at.text_document.uri.clone(), edits)).collect();
                    serde_json::to_value(WorkspaceEdit::new(changes))?
                }
                None => return Err("这里没有可以改名的事项、名称或条文编号".into()),
            }
        }
        Completion::METHOD => {
            let p: CompletionParams = serde_json::from_value(params)?;
            let at = p.text_document_position;
            let doc = document(documents, &at.text_document.uri)?;
            serde_json::to_value(CompletionResponse::Array(lsp::completion(doc, at.position)))?
        }
        SemanticTokensFullRequest::METHOD => {
            let p: SemanticTokensParams = serde_json::from_value(params)?;
            let doc = document(documents, &p.text_document.uri)?;
            serde_json::to_value(SemanticTokensResult::Tokens(lsp::semantic_tokens(doc)))?
        }
        InlayHintRequest::METHOD => {
            let p: InlayHintParams = serde_json::from_value(params)?;
            let doc = document(documents, &p.text_document.uri)?;
            let hints: Vec<_> = lsp::inlay_hints(doc)
                .into_iter()
                .filter(|h| p.range.start <= h.position && h.position <= p.range.end)
                .collect();
            serde_json::to_value(hints)?
        }
        _ => return Ok(None),
    };
    Ok(Some(value))
}

/// For a `file://` document: templates looked for from its folder upwards, as the command line
/// looks for them (`data::find_template`); other documents find none.
fn templates_for(uri: &str) -> crate::lsp::Templates {
    let Some(path) = uri.strip_prefix("file://").map(percent_decode) else {
        return crate::lsp::Templates::default();
    };
    let folder = std::path::Path::new(&path)
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    crate::lsp::Templates::new(move |name| {
        crate::data::find_template(&folder, name).map(|(_, text)| text)
    })
}

/// `%E4%B9%A1` → the bytes they stand for, read as UTF-8.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn file_uris_are_decoded_to_paths() {
        assert_eq!(percent_decode("/tmp/%E9%95%87/a%20b.xy"), "/tmp/镇/a b.xy");
        assert_eq!(percent_decode("/tmp/100%"), "/tmp/100%");
    }
}
