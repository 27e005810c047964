//! Work over a long run of packets split across the machine's cores: filters over a
//! loaded capture, the conversation tables and the Statistics windows' passes. Every
//! packet's analysis is recorded by the load, so consecutive pieces of packets are
//! independent and their results only need putting back in order.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `work` on consecutive pieces of `range`, `piece` packets each (the last may
/// be shorter), on every core, and returns the results in the order of the pieces.
///
/// Pieces are handed out one at a time and in order: a thread that shares its core
/// with the window (or anything else) takes fewer instead of the others waiting for
/// its half, and a piece starts only after every piece before it has started (which
/// lets `work` stop early once the pieces before it have found enough). A piece whose
/// thread panicked (a bug) is worked again on the calling thread, so the panic is
/// reported there rather than its packets lost.
pub fn in_order<T: Send>(
    range: Range<usize>,
    piece: usize,
    work: impl Fn(Range<usize>) -> T + Sync,
) -> Vec<T> {
    let piece = piece.max(1);
    let pieces: Vec<Range<usize>> = range
        .clone()
        .step_by(piece)
        .map(|start| start..start.saturating_add(piece).min(range.end))
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || pieces.len() < 2 {
        return pieces.into_iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let take = || {
        let mut done: Vec<(usize, T)> = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(piece) = pieces.get(i) else {
                return done;
            };
            done.push((i, work(piece.clone())));
        }
    };
    let done = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads.min(pieces.len()))
            .map(|_| scope.spawn(take))
            .collect();
        let mut done = take();
        for helper in helpers {
            done.extend(helper.join().unwrap_or_default());
        }
        done
    });
    let mut by_piece: Vec<Option<T>> = std::iter::repeat_with(|| None).take(pieces.len()).collect();
    for (i, result) in done {
        if let Some(slot) = by_piece.get_mut(i) {
            *slot = Some(result);
        }
    }
    pieces
        .into_iter()
        .zip(by_piece)
        .map(|(piece, result)| result.unwrap_or_else(|| work(piece)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_the_order_of_the_pieces() {
        let sums = in_order(0..10_007, 1000, |r| r.clone().sum::<usize>());
        assert_eq!(sums.len(), 11);
        assert_eq!(sums.iter().sum::<usize>(), (0..10_007).sum::<usize>());
        assert_eq!(sums.first(), Some(&(0..1000).sum::<usize>()));
        assert_eq!(sums.last(), Some(&(10_000..10_007).sum::<usize>()));
    }

    #[test]
    fn an_empty_range_has_no_piece() {
        assert!(in_order(5..5, 100, |r| r.len()).is_empty());
    }
}
