//! Documents for people: the printable compact (and, in later stages, ledgers and diff
//! reports) as HTML and Markdown. No IO: every function returns text.

pub mod compact;
pub mod html;
