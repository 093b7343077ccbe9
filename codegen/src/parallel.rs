//! Mapping over independent items on all cores, results in input order, so
//! that parallel stages of the compiler stay deterministic.

use std::num::NonZeroUsize;
use std::thread;

/// `items.into_iter().map(f).collect()`, spread over the available cores
/// in contiguous chunks of at least `min_per_thread` items (fewer threads
/// when there is not enough work to pay for starting them); the result is
/// in the order of `items` whatever the scheduling.
pub fn map<T: Send, R: Send>(
    items: Vec<T>,
    min_per_thread: usize,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let cores = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let threads = cores.min(items.len() / min_per_thread.max(1)).max(1);
    if threads == 1 {
        return items.into_iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let mut chunks = Vec::with_capacity(threads);
    let mut items = items;
    while items.len() > chunk {
        let tail = items.split_off(chunk);
        chunks.push(std::mem::replace(&mut items, tail));
    }
    chunks.push(items);
    let f = &f;
    thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|part| scope.spawn(move || part.into_iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out = Vec::new();
        for handle in handles {
            match handle.join() {
                Ok(part) => out.extend(part),
                // A panic in `f` is a bug: pass it on as it is.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
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
}
