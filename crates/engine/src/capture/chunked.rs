//! A growable array stored in fixed-size chunks.
//!
//! A plain `Vec` doubles its buffer when it grows, so a million-packet index would
//! briefly hold two copies and keep up to twice the memory it needs. Chunks never
//! move once written, waste at most one partly filled chunk, and can be handed to
//! another thread as soon as they are full.

/// Number of elements per chunk (64 Ki).
pub const CHUNK_LEN: usize = 1 << 16;

/// An append-only array stored in chunks of [`CHUNK_LEN`]. A chunk is allocated
/// whole but its pages are only touched (and resident) as elements are written, so
/// the unused tail of the last chunk costs address space, not memory.
#[derive(Debug, Clone)]
pub struct ChunkedVec<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for ChunkedVec<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> ChunkedVec<T> {
    /// An empty array.
    pub fn new() -> Self {
        Self {
            chunks: Vec::new(),
            len: 0,
        }
    }

    /// Number of elements.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are no elements.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends one element.
    #[inline]
    pub fn push(&mut self, value: T) {
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < CHUNK_LEN => chunk.push(value),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK_LEN);
                chunk.push(value);
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
    }

    /// The element at `index`, if any.
    #[inline]
    pub fn get(&self, index: usize) -> Option<&T> {
        self.chunks
            .get(index / CHUNK_LEN)
            .and_then(|chunk| chunk.get(index % CHUNK_LEN))
    }

    /// A mutable reference to the element at `index`, if any.
    #[inline]
    pub fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        self.chunks
            .get_mut(index / CHUNK_LEN)
            .and_then(|chunk| chunk.get_mut(index % CHUNK_LEN))
    }

    /// Iterates over all elements in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.chunks.iter().flat_map(|chunk| chunk.iter())
    }

    /// The chunks, in order; every chunk but the last holds [`CHUNK_LEN`] elements.
    pub fn chunks(&self) -> &[Vec<T>] {
        &self.chunks
    }

    /// The chunks as mutable slices (their lengths cannot change through this).
    pub fn chunks_mut(&mut self) -> impl Iterator<Item = &mut [T]> + '_ {
        self.chunks.iter_mut().map(|c| c.as_mut_slice())
    }

    /// Bytes of heap this array holds (for the memory budget of the benchmark).
    pub fn heap_bytes(&self) -> usize {
        self.chunks
            .iter()
            .map(|chunk| chunk.capacity() * std::mem::size_of::<T>())
            .sum()
    }
}

impl<T: Copy> ChunkedVec<T> {
    /// Appends a whole chunk (at most [`CHUNK_LEN`] elements). The array must end on a
    /// chunk boundary, so that every chunk but the last stays full; otherwise the
    /// elements are appended one by one.
    pub fn push_chunk(&mut self, chunk: Vec<T>) {
        if self.len.is_multiple_of(CHUNK_LEN) && chunk.len() <= CHUNK_LEN {
            self.len += chunk.len();
            if !chunk.is_empty() {
                self.chunks.push(chunk);
            }
        } else {
            self.extend_from_slice(&chunk);
        }
    }

    /// Appends every element of `values`.
    pub fn extend_from_slice(&mut self, values: &[T]) {
        for value in values {
            self.push(*value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_and_get_across_chunks() {
        let mut values = ChunkedVec::new();
        for i in 0..(CHUNK_LEN as u32 + 10) {
            values.push(i);
        }
        assert_eq!(values.len(), CHUNK_LEN + 10);
        assert_eq!(values.get(CHUNK_LEN + 3), Some(&(CHUNK_LEN as u32 + 3)));
        assert_eq!(values.get(CHUNK_LEN + 10), None);
        assert_eq!(values.chunks().len(), 2);
        assert_eq!(values.iter().count(), CHUNK_LEN + 10);
    }

    #[test]
    fn whole_chunks_append_without_copying_and_partial_ones_by_element() {
        let mut values = ChunkedVec::new();
        values.push_chunk((0..CHUNK_LEN as u32).collect());
        values.push_chunk(vec![7, 8]);
        assert_eq!(values.chunks().len(), 2);
        values.push_chunk(vec![9]);
        assert_eq!(values.len(), CHUNK_LEN + 3);
        assert_eq!(values.get(CHUNK_LEN + 2), Some(&9));
        assert_eq!(values.chunks().len(), 2);
    }
}
