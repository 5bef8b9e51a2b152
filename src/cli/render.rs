//! `xiangyue render COMPACT [--format html|md] [-o FILE]`.

use std::path::Path;

use clap::ValueEnum;

use super::ErrorFormat;

/// Output format of the printable compact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    /// 可打印的网页（A4）
    Html,
    /// Markdown
    Md,
}

pub fn run(_path: &Path, _format: RenderFormat, _output: Option<&Path>, _ef: ErrorFormat) -> u8 {
    0
}
