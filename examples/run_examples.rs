fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let source = std::fs::read_to_string(&path).unwrap_or_default();
    let compiled = xiangyue::compile::compile(&source);
    let Some(compact) = compiled.compact else {
        println!("errors");
        return;
    };
    for example in &compact.examples {
        let run = xiangyue::eval::examples::run_example(&compact, example);
        println!(
            "{}: {} checked, {:?}",
            run.name,
            run.checked,
            run.mismatches
                .iter()
                .map(|m| (&m.subject, &m.expected, &m.actual))
                .collect::<Vec<_>>()
        );
        for e in &run.ledger {
            println!(
                "   {} {:?} {} {:?}",
                e.amount,
                e.clause
                    .and_then(|c| compact.clauses.get(c))
                    .map(|c| c.number),
                xiangyue::eval::ledger::computation_words(&e.computation),
                e.notes
                    .iter()
                    .map(|n| xiangyue::eval::ledger::note_words(&compact, n))
                    .collect::<Vec<_>>()
            );
        }
    }
}
