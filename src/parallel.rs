//! Work spread over every core: the files of an org are read and loaded each on its
//! own, and the rules run each on its own, before the results are put together in order.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `work` applied to every item, on every core, with the results in the order of the
/// items. Workers take `batch` items at a time from a shared counter (as the renderer
/// does): a larger batch touches the counter less, a smaller one leaves no core idle at
/// the end while another works through the slow items it drew.
pub(crate) fn map<T: Sync, R: Send>(
    items: &[T],
    batch: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let batch = batch.max(1);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().div_ceil(batch));
    if workers <= 1 {
        return items.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let run = || {
        let mut batches = Vec::new();
        loop {
            let start = next.fetch_add(batch, Ordering::Relaxed);
            if start >= items.len() {
                return batches;
            }
            let end = (start + batch).min(items.len());
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
        for batch in [1, 16, 2_000] {
            let squares = super::map(&items, batch, |n| n * n);
            assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        }
        assert_eq!(super::map(&[] as &[usize], 16, |n| *n), Vec::<usize>::new());
        // Slow items, one at a time: with two cores or more, the workers take turns, so
        // each one's results are interleaved with the other's and must be put back in
        // order.
        let slow: Vec<usize> = (0..40).collect();
        let doubled = super::map(&slow, 1, |n| {
            std::thread::sleep(std::time::Duration::from_millis(1));
            n * 2
        });
        assert_eq!(doubled, slow.iter().map(|n| n * 2).collect::<Vec<_>>());
    }
}
