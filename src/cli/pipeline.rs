//! Reading and evaluating at the same time: one thread reads and validates records, the
//! calling thread consumes them, in batches and in file order — so the result is exactly that
//! of one thread doing both.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use crate::data::EventRecord;

/// Records per batch handed from the reader to the consumer.
const BATCH: usize = 4096;
/// Full batches that may wait for the consumer (bounds the memory in flight).
const IN_FLIGHT: usize = 4;

/// Whether a second thread is worth starting.
pub fn worth_it() -> bool {
    std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
}

/// Runs `produce` on a reader thread, handing it a sink for records, while `consume` takes
/// them here in the same order. When `consume` returns `false` it is not called again, and the
/// reader's sink starts returning `false` too (the reader decides whether to go on reading).
/// Returns what `produce` returned and whether `consume` stopped early.
pub fn pipelined<R: Send>(
    produce: impl FnOnce(&mut dyn FnMut(&EventRecord) -> bool) -> R + Send,
    mut consume: impl FnMut(&EventRecord) -> bool,
) -> (R, bool) {
    let (full_sender, full) = mpsc::sync_channel::<Vec<EventRecord>>(IN_FLIGHT);
    let (empty_sender, empty) = mpsc::channel::<Vec<EventRecord>>();
    let stopped = &AtomicBool::new(false);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut batch: Vec<EventRecord> = Vec::with_capacity(BATCH);
            let mut used = 0;
            let mut sink = |record: &EventRecord| {
                if stopped.load(Ordering::Relaxed) {
                    return false;
                }
                // Batches come back emptied of meaning but not of memory: overwrite in place.
                match batch.get_mut(used) {
                    Some(slot) => slot.clone_from(record),
                    None => batch.push(record.clone()),
                }
                used += 1;
                if used == BATCH {
                    let next = empty.try_recv().unwrap_or_default();
                    let full = std::mem::replace(&mut batch, next);
                    used = 0;
                    if full_sender.send(full).is_err() {
                        return false;
                    }
                }
                true
            };
            let result = produce(&mut sink);
            batch.truncate(used);
            if !batch.is_empty() {
                let _ = full_sender.send(batch);
            }
            drop(full_sender);
            result
        });
        let mut consuming = true;
        for batch in full {
            if consuming {
                for record in &batch {
                    if !consume(record) {
                        consuming = false;
                        stopped.store(true, Ordering::Relaxed);
                        break;
                    }
                }
            }
            let _ = empty_sender.send(batch);
        }
        match reader.join() {
            Ok(result) => (result, !consuming),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(n: u64) -> Vec<EventRecord> {
        (0..n)
            .map(|line| {
                let mut record = EventRecord::new();
                record.line = line + 2;
                record
            })
            .collect()
    }

    #[test]
    fn every_record_arrives_once_in_order() {
        for n in [0, 1, BATCH as u64 - 1, BATCH as u64, 3 * BATCH as u64 + 17] {
            let input = records(n);
            let mut seen = Vec::new();
            let (produced, stopped) = pipelined(
                |sink| input.iter().take_while(|r| sink(r)).count(),
                |record| {
                    seen.push(record.line);
                    true
                },
            );
            assert_eq!(produced as u64, n);
            assert!(!stopped);
            assert_eq!(seen, input.iter().map(|r| r.line).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_consumer_that_stops_stops_the_reader_and_sees_nothing_more() {
        let input = records(10 * BATCH as u64);
        let mut seen = 0;
        let (produced, stopped) = pipelined(
            |sink| input.iter().take_while(|r| sink(r)).count(),
            |record| {
                seen += 1;
                record.line < 100
            },
        );
        assert!(stopped);
        assert_eq!(seen, 99);
        assert!(produced < input.len());
    }
}
