//! The compiler's one parallel helper: mapping over independent items on
//! all cores, results in input order, so that parallel stages (loading,
//! lowering, emitting, the two sides of a diff) stay deterministic.

use std::num::NonZeroUsize;
use std::sync::{Mutex, PoisonError};
use std::thread;

/// `items.into_iter().map(f).collect()`, spread over the available cores,
/// with at least `min_per_thread` items per thread (fewer threads when there
/// is not enough work to pay for starting them); the result is in the order
/// of `items` whatever the scheduling.
///
/// Items differ a lot in cost (one `models.rs` weighs as much as hundreds of
/// operation files), so each thread takes the next item as it finishes
/// rather than a fixed share: put the big items first.
pub fn map<T: Send, R: Send>(
    items: Vec<T>,
    min_per_thread: usize,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let cores = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let len = items.len();
    let threads = cores.min(len / min_per_thread.max(1)).max(1);
    if threads == 1 {
        return items.into_iter().map(f).collect();
    }
    let queue = Mutex::new(items.into_iter().enumerate());
    // The lock is held only to take an item, never while `f` runs, so a
    // panic in `f` can not poison it; should it ever be, the queue is intact.
    let next = || queue.lock().unwrap_or_else(PoisonError::into_inner).next();
    let f = &f;
    let mut done: Vec<(usize, R)> = thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while let Some((index, item)) = next() {
                        done.push((index, f(item)));
                    }
                    done
                })
            })
            .collect();
        let mut out = Vec::with_capacity(len);
        for handle in handles {
            match handle.join() {
                Ok(part) => out.extend(part),
                // A panic in `f` is a bug: pass it on as it is.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    });
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_input_order() {
        for n in [0, 1, 7, 8, 9, 1000, 1001] {
            let items: Vec<usize> = (0..n).collect();
            let doubled = super::map(items.clone(), 1, |i| i * 2);
            assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn uneven_items_still_come_back_in_order() {
        // The first item is by far the slowest, so later ones finish first.
        let items: Vec<u64> = (0..64).map(|i| if i == 0 { 200_000 } else { 10 }).collect();
        let sums = super::map(items.clone(), 1, |n| (0..n).sum::<u64>());
        let expected: Vec<u64> = items.iter().map(|&n| (0..n).sum()).collect();
        assert_eq!(sums, expected);
    }
}
