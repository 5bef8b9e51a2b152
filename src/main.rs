//! The `xiangyue` binary: see `xiangyue --help`.

fn main() -> std::process::ExitCode {
    xiangyue::cli::run()
}
