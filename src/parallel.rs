//! Work split over the machine's two cores.

/// `f` of every item, in order: the items before `at` on this thread, the rest on a second.
pub fn map_in_two<T: Sync, R: Send>(items: &[T], at: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let (first, second) = items.split_at(at.min(items.len()));
    std::thread::scope(|threads| {
        let later = threads.spawn(|| second.iter().map(&f).collect::<Vec<_>>());
        let mut done: Vec<R> = first.iter().map(&f).collect();
        match later.join() {
            Ok(rest) => done.extend(rest),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        done
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_results_keep_the_items_order_wherever_the_split() {
        let items: Vec<u32> = (0..10).collect();
        for at in [0, 3, 10, 99] {
            let doubled = super::map_in_two(&items, at, |n| n * 2);
            assert_eq!(
                doubled,
                (0..10).map(|n| n * 2).collect::<Vec<_>>(),
                "split at {at}"
            );
        }
    }
}
