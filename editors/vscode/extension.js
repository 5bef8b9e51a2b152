// 乡约 xiangyue for VS Code: the language service is `xiangyue lsp` (stdio); this file only
// starts it. Highlighting comes from syntaxes/xiangyue.tmLanguage.json.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('xiangyue').get('path') || 'xiangyue';
  const server = { command, args: ['lsp'], transport: TransportKind.stdio };
  client = new LanguageClient(
    'xiangyue',
    '乡约 xiangyue',
    { run: server, debug: server },
    { documentSelector: [{ scheme: 'file', language: 'xiangyue' }] }
  );
  client.start().catch((error) => {
    vscode.window.showErrorMessage(
      `无法启动乡约语言服务「${command} lsp」：${error.message}。` +
        '请确认已安装 xiangyue，或在设置 xiangyue.path 中填写它的路径。'
    );
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
