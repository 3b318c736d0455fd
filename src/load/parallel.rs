//! Work spread over every core, for reading and loading the files of an org: each file
//! is independent of the others until the loader puts them together.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Items a worker takes at a time: enough that the shared counter is seldom touched,
/// few enough that a worker that drew the large files does not leave a core idle at
/// the end.
const BATCH: usize = 16;

/// `work` applied to every item, on every core, with the results in the order of the
/// items. Workers take batches from a shared counter (as the renderer does), so a slow
/// item holds up only its own batch.
pub(super) fn map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().div_ceil(BATCH));
    if workers <= 1 {
        return items.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let run = || {
        let mut batches = Vec::new();
        loop {
            let start = next.fetch_add(BATCH, Ordering::Relaxed);
            if start >= items.len() {
                return batches;
            }
            let end = (start + BATCH).min(items.len());
            batches.push((
                start,
                items[start..end].iter().map(&work).collect::<Vec<R>>(),
            ));
        }
    };
    let mut batches: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        // This thread is one of the workers: one fewer to start.
        let others: Vec<_> = (1..workers).map(|_| scope.spawn(run)).collect();
        let mut batches = run();
        for other in others {
            // A panic in a worker is a bug of the loader: it goes on as this thread's.
            batches.extend(
                other
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            );
        }
        batches
    });
    batches.sort_unstable_by_key(|(start, _)| *start);
    batches
        .into_iter()
        .flat_map(|(_, results)| results)
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<usize> = (0..1_000).collect();
        let squares = super::map(&items, |n| n * n);
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        assert_eq!(super::map(&[] as &[usize], |n| *n), Vec::<usize>::new());
    }
}
