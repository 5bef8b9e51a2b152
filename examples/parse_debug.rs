fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let source = std::fs::read_to_string(&path).unwrap_or_default();
    match xiangyue::syntax::parse(&source) {
        Ok(file) => println!("{file:#?}"),
        Err(errors) => {
            for e in errors {
                let s = e.span();
                println!("{e} @{}..{} [{}] {:?}", s.start, s.end, s.text(&source), e);
            }
        }
    }
}
