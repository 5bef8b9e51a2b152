//! Documents for people and programs: the printable compact, evaluation results (table, CSV,
//! JSON, the HTML public ledger, the workbook), explanations and version comparisons (diff).
//! No IO: every function returns text or bytes.

pub mod compact;
pub mod county;
pub mod diff;
pub mod diff_html;
pub mod diff_json;
pub mod eval_output;
pub mod explain;
pub mod histogram;
pub mod html;
pub mod provenance;
pub mod publication;
pub mod results;
pub mod tables;
#[cfg(feature = "native")]
pub mod workbook;
pub mod years;
