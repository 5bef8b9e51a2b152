//! Where the commands' printed lines go: to the terminal, or — while [`captured`] runs a
//! command for `xiangyue serve` — into a buffer that the server shows on a page. The `print!`,
//! `println!`, `eprint!` and `eprintln!` macros of every `cli` module are the ones defined in
//! `cli/mod.rs`, which call [`write`]; so a command is one function for both the terminal and
//! the browser, and its messages (refusals with their codes and hints) read the same in both.

use std::cell::RefCell;

/// What a command printed while captured: its standard output and standard error.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Printed {
    /// What went to standard output.
    pub out: String,
    /// What went to standard error.
    pub err: String,
}

thread_local! {
    static CAPTURE: RefCell<Option<Printed>> = const { RefCell::new(None) };
}

/// Writes `text` to standard output (or error, `to_err`), or to the capture of this thread.
pub fn write(to_err: bool, text: std::fmt::Arguments<'_>, newline: bool) {
    let kept = CAPTURE.with(|capture| {
        let mut capture = capture.borrow_mut();
        match capture.as_mut() {
            Some(printed) => {
                let buffer = if to_err {
                    &mut printed.err
                } else {
                    &mut printed.out
                };
                let _ = std::fmt::Write::write_fmt(buffer, text);
                if newline {
                    buffer.push('\n');
                }
                true
            }
            None => false,
        }
    });
    if kept {
        return;
    }
    match (to_err, newline) {
        (false, false) => std::print!("{text}"),
        (false, true) => std::println!("{text}"),
        (true, false) => std::eprint!("{text}"),
        (true, true) => std::eprintln!("{text}"),
    }
}

/// Runs `command` with what it prints kept instead of printed; gives its result and the text.
/// Whatever happens in `command` (even a panic, caught by the server), the thread prints as
/// before afterwards.
pub fn captured<T>(command: impl FnOnce() -> T) -> (T, Printed) {
    /// Puts back what the thread printed to before, when dropped.
    struct Restore(Option<Option<Printed>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(before) = self.0.take() {
                CAPTURE.with(|c| *c.borrow_mut() = before);
            }
        }
    }
    let before = CAPTURE.with(|c| c.borrow_mut().replace(Printed::default()));
    let restore = Restore(Some(before));
    let value = command();
    let printed = CAPTURE.with(|c| c.borrow_mut().take().unwrap_or_default());
    drop(restore);
    (value, printed)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_inside_leaves_the_thread_printing_as_before() {
        let outer = super::captured(|| {
            let inner = std::panic::catch_unwind(|| {
                super::captured(|| -> u8 {
                    println!("里面");
                    std::panic::resume_unwind(Box::new("出错"))
                })
            });
            assert!(inner.is_err());
            println!("外面");
        });
        assert_eq!(outer.1.out, "外面\n");
    }

    #[test]
    fn a_captured_command_prints_nothing_and_gives_its_lines() {
        let (value, printed) = super::captured(|| {
            println!("已审核：通过 {} 条", 3);
            eprintln!("错误[E0308] 记录 {} 已审核", 17);
            print!("无换行");
            7
        });
        assert_eq!(value, 7);
        assert_eq!(printed.out, "已审核：通过 3 条\n无换行");
        assert_eq!(printed.err, "错误[E0308] 记录 17 已审核\n");
    }
}
