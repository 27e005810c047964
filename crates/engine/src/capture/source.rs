//! The bytes of a capture file: memory-mapped, or inflated from gzip into an unlinked
//! temporary file that is then mapped, so even a large compressed capture costs no heap.

use super::error::{OpenError, ReadError};
use flate2::read::MultiGzDecoder;
use memmap2::Mmap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Largest size a gzip capture may inflate to (a guard against decompression bombs).
pub const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024 * 1024;

/// A capture file's bytes, ready to scan and to read packets from.
#[derive(Debug)]
pub struct CaptureSource {
    path: PathBuf,
    map: Option<Mmap>,
    /// The file was gzip-compressed.
    compressed: bool,
    /// Damage in the gzip stream itself (the inflated bytes before it are kept).
    gzip_damage: Option<ReadError>,
}

impl CaptureSource {
    /// Opens and maps `path`, inflating it first when it starts with the gzip magic.
    pub fn open(path: &Path) -> Result<Self, OpenError> {
        let io = |source| OpenError::Io {
            path: path.to_owned(),
            source,
        };
        let mut file = File::open(path).map_err(io)?;
        let mut magic = [0u8; 2];
        let got = read_up_to(&mut file, &mut magic).map_err(io)?;
        let compressed = got == 2 && magic == [0x1f, 0x8b];
        let (file, gzip_damage) = if compressed {
            let file = File::open(path).map_err(io)?;
            let dir = std::env::temp_dir();
            // The trailer's size (mod 2^32, of the last member) is a lower bound of what
            // the file inflates to: refuse before inflating what cannot fit.
            let hint = gzip_size_hint(&file).unwrap_or(0);
            if let Some(free) = free_bytes(&dir)
                && hint.saturating_add(ROOM_TO_SPARE) > free
            {
                return Err(no_room(path, &dir, hint, free));
            }
            match inflate_to_temp(file, &dir).map_err(io)? {
                Inflated::Done(file, damage) => (file, damage),
                Inflated::NoRoom { written, free } => {
                    return Err(no_room(path, &dir, written, free));
                }
            }
        } else {
            (file, None)
        };
        let len = file.metadata().map_err(io)?.len();
        // Mapping an empty file fails on Linux; an empty capture is simply empty bytes.
        let map = if len == 0 {
            None
        } else {
            Some(map_read_only(&file).map_err(io)?)
        };
        Ok(Self {
            path: path.to_owned(),
            map,
            compressed,
            gzip_damage,
        })
    }

    /// The (inflated) file contents.
    #[inline]
    pub fn bytes(&self) -> &[u8] {
        self.map.as_deref().unwrap_or(&[])
    }

    /// Path the capture was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file was gzip-compressed.
    pub fn compressed(&self) -> bool {
        self.compressed
    }

    /// Damage in the gzip stream, if it ended early or was corrupt.
    pub fn gzip_damage(&self) -> Option<&ReadError> {
        self.gzip_damage.as_ref()
    }
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        let Some(rest) = buf.get_mut(got..) else {
            break;
        };
        match file.read(rest)? {
            0 => break,
            n => got += n,
        }
    }
    Ok(got)
}

/// Free space the inflated file must leave in the temporary folder, so that the disk
/// never fills (the partial file is dropped, its space given back, when it stops).
const ROOM_TO_SPARE: u64 = 4 * 1024 * 1024;

/// How often (in inflated bytes) the free space is checked while inflating.
const ROOM_CHECK_EVERY: u64 = 4 * 1024 * 1024;

/// The inflated size a gzip file's trailer gives (ISIZE: the last member's size mod
/// 2^32, so never more than what the file inflates to).
fn gzip_size_hint(file: &File) -> Option<u64> {
    use std::os::unix::fs::FileExt;
    let len = file.metadata().ok()?.len();
    let mut trailer = [0u8; 4];
    file.read_exact_at(&mut trailer, len.checked_sub(4)?).ok()?;
    Some(u64::from(u32::from_le_bytes(trailer)))
}

/// Bytes an unprivileged program may still write in `dir`, if the system says.
pub fn free_bytes(dir: &Path) -> Option<u64> {
    let stat = rustix::fs::statvfs(dir).ok()?;
    Some(stat.f_bavail.saturating_mul(stat.f_frsize))
}

/// A size in words: "2.0 GB", "640 MB", "12 kB".
pub fn size_in_words(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1_000_000_000, "GB"), (1_000_000, "MB"), (1_000, "kB")];
    for (unit, name) in UNITS {
        if bytes >= unit {
            let tenths = bytes / (unit / 10);
            return if tenths >= 100 {
                format!("{} {name}", tenths / 10)
            } else {
                format!("{}.{} {name}", tenths / 10, tenths % 10)
            };
        }
    }
    format!("{bytes} bytes")
}

fn no_room(path: &Path, dir: &Path, needed: u64, free: u64) -> OpenError {
    OpenError::NoRoomToInflate {
        path: path.to_owned(),
        dir: dir.to_owned(),
        needed: size_in_words(needed),
        free: size_in_words(free),
    }
}

/// How inflating ended.
enum Inflated {
    /// The inflated file, and damage in the gzip stream if any.
    Done(File, Option<ReadError>),
    /// The temporary folder ran low on space after `written` bytes (the partial file
    /// is gone with its handle).
    NoRoom { written: u64, free: u64 },
}

/// Inflates a gzip stream into an unlinked temporary file in `dir`. A stream that ends
/// early or is corrupt keeps what was inflated before the fault and reports where it
/// stopped; one that would leave the folder with less than [`ROOM_TO_SPARE`] free
/// stops (checked every [`ROOM_CHECK_EVERY`] bytes).
fn inflate_to_temp(file: File, dir: &Path) -> std::io::Result<Inflated> {
    let mut out = tempfile::tempfile_in(dir)?;
    let mut decoder = MultiGzDecoder::new(std::io::BufReader::new(file));
    let mut buf = vec![0u8; 256 * 1024];
    let mut written: u64 = 0;
    let mut next_check: u64 = 0;
    let mut damage = None;
    loop {
        if written >= next_check {
            next_check = written.saturating_add(ROOM_CHECK_EVERY);
            if let Some(free) = free_bytes(dir)
                && free < ROOM_CHECK_EVERY.saturating_add(ROOM_TO_SPARE)
            {
                return Ok(Inflated::NoRoom {
                    written: written.saturating_add(ROOM_CHECK_EVERY),
                    free: free.saturating_add(written),
                });
            }
        }
        match decoder.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let chunk = buf.get(..n).unwrap_or(&[]);
                out.write_all(chunk)?;
                written += n as u64;
                if written > MAX_INFLATED_BYTES {
                    damage = Some(ReadError::new(
                        written,
                        format!(
                            "the gzip stream inflates to more than {MAX_INFLATED_BYTES} bytes; the rest is ignored"
                        ),
                    ));
                    break;
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => {
                damage = Some(ReadError::new(
                    written,
                    format!(
                        "the gzip stream is damaged or ends early ({error}); {written} bytes were inflated"
                    ),
                ));
                break;
            }
        }
    }
    out.flush()?;
    Ok(Inflated::Done(out, damage))
}

/// Maps `file` read-only. This is the one `unsafe` call in synack: a mapping is unsafe
/// in Rust's sense only because another process could truncate the file while it is
/// mapped (the kernel then raises SIGBUS). The bytes are only ever read through
/// bounds-checked slices, and a capture being rewritten while open is the same hazard
/// every mmap-based reader accepts; the speed target of a million packets needs it.
#[allow(unsafe_code)]
fn map_read_only(file: &File) -> std::io::Result<Mmap> {
    // SAFETY: see above; the map is private and read-only, and nothing here writes it.
    let map = unsafe { memmap2::MmapOptions::new().map(file) }?;
    // Huge pages where the kernel can: a capture read from disk is then read ahead
    // in 2 MiB pieces and mapped a 2 MiB page at a time. On a million packets that
    // halves the time to read the file from disk and takes the page faults and the
    // unmapping from ~80 ms to ~10 ms. Only a hint: a kernel without transparent huge
    // pages refuses it, and the 4 KiB pages it keeps work the same.
    map.advise(memmap2::Advice::HugePage).ok();
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_words() {
        assert_eq!(size_in_words(999), "999 bytes");
        assert_eq!(size_in_words(1_234), "1.2 kB");
        assert_eq!(size_in_words(12_345), "12 kB");
        assert_eq!(size_in_words(640_000_000), "640 MB");
        assert_eq!(size_in_words(2_000_000_000), "2.0 GB");
        assert_eq!(size_in_words(6_400_000_000), "6.4 GB");
    }

    #[test]
    fn the_trailer_gives_the_inflated_size() -> std::io::Result<()> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&[0u8; 100_000])?;
        let mut file = tempfile::tempfile()?;
        file.write_all(&gz.finish()?)?;
        assert_eq!(gzip_size_hint(&file), Some(100_000));
        assert!(free_bytes(&std::env::temp_dir()).is_some());
        Ok(())
    }
}
