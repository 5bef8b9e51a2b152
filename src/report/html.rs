//! Small helpers shared by the HTML documents: escaping and the print style sheet.

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The style shared by printable documents: A4 pages, CJK serif fonts installed on the
/// machine (nothing is loaded from the network).
pub const PRINT_STYLE: &str = r#"
@page { size: A4; margin: 2cm 2.2cm; }
html { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", "STSong", serif; font-size: 12pt; line-height: 1.75; color: #000; }
body { max-width: 17cm; margin: 0 auto; padding: 1em; }
h1 { font-size: 20pt; text-align: center; margin: 0.5em 0 0.2em; }
.meta { text-align: center; color: #333; margin-bottom: 1.5em; }
h2 { font-size: 14pt; text-align: center; margin: 1.4em 0 0.6em; break-after: avoid; }
.clause { margin: 0.4em 0; break-inside: avoid; }
.clause .no { font-weight: bold; margin-right: 0.5em; }
.clause p { margin: 0.2em 0; text-indent: 2em; }
.clause p.first { text-indent: 0; }
.generated { color: #333; }
.note { font-size: 10pt; color: #555; }
.clause p.reading { font-size: 10pt; color: #666; text-indent: 0; margin-left: 2em; padding-left: 0.6em; border-left: 2px solid #ccc; }
footer { margin-top: 2em; font-size: 9pt; color: #666; text-align: center; }
@media print { body { padding: 0; } a { color: inherit; text-decoration: none; } }
"#;
