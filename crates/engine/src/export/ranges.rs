//! Frame ranges such as `1-10,15,50-`: the CLI's `--range` and the window's export
//! dialog parse them here, and each face words the error in its own terms.

/// Why a range list was refused. The messages name no option: the CLI adds
/// "--range", the window its own words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    /// No range at all (empty text, or only commas).
    #[error("no frame range given")]
    Empty,
    /// One part is not `N`, `N-M`, `N-` or `-M` with 1 ≤ N ≤ M.
    #[error("invalid range {part:?} (part {position}): expected N, N-M, N- or -M with 1 <= N <= M")]
    Invalid {
        /// The part as written, trimmed.
        part: String,
        /// Its 1-based position among the comma-separated parts.
        position: usize,
    },
}

/// Inclusive 1-based frame ranges, in the order written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranges(Vec<(usize, usize)>);

impl Ranges {
    /// Parses a list like `1-10,42,50-` (`-M` starts at 1, `N-` runs to the end).
    pub fn parse(text: &str) -> Result<Ranges, RangeError> {
        let mut out = Vec::new();
        let parts = text.split(',').map(str::trim).filter(|p| !p.is_empty());
        for (n, part) in parts.enumerate() {
            let bad = || RangeError::Invalid {
                part: part.to_string(),
                position: n + 1,
            };
            let (a, b) = match part.split_once('-') {
                Some((a, b)) => (a.trim(), b.trim()),
                None => (part, part),
            };
            let first = if a.is_empty() {
                1
            } else {
                a.parse().map_err(|_| bad())?
            };
            let last = if b.is_empty() {
                usize::MAX
            } else {
                b.parse().map_err(|_| bad())?
            };
            if first == 0 || first > last {
                return Err(bad());
            }
            out.push((first, last));
        }
        if out.is_empty() {
            return Err(RangeError::Empty);
        }
        Ok(Ranges(out))
    }

    /// Whether frame `number` (1-based) is in one of the ranges.
    pub fn contains(&self, number: usize) -> bool {
        self.0.iter().any(|(a, b)| (*a..=*b).contains(&number))
    }

    /// The inclusive (first, last) pairs.
    pub fn pairs(&self) -> &[(usize, usize)] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_open_ends_and_single_frames() {
        let r = Ranges::parse("1-3, 7,10-").ok();
        let pairs = r.as_ref().map(|r| r.pairs().to_vec());
        assert_eq!(pairs, Some(vec![(1, 3), (7, 7), (10, usize::MAX)]));
        assert!(r.as_ref().is_some_and(|r| r.contains(2) && !r.contains(8)));
        assert!(Ranges::parse("-2").is_ok_and(|r| r.contains(1) && !r.contains(3)));
    }

    #[test]
    fn refuses_zero_reversed_words_and_nothing() {
        for (text, position) in [("0", 1), ("1,5-2", 2), ("1-x", 1)] {
            match Ranges::parse(text) {
                Err(RangeError::Invalid { position: p, .. }) => assert_eq!(p, position, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
        assert_eq!(Ranges::parse(" , "), Err(RangeError::Empty));
    }
}
