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
            inflate_to_temp(file).map_err(io)?
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

/// Inflates a gzip stream into an unlinked temporary file. A stream that ends early or
/// is corrupt keeps what was inflated before the fault and reports where it stopped.
fn inflate_to_temp(file: File) -> std::io::Result<(File, Option<ReadError>)> {
    let mut out = tempfile::tempfile()?;
    let mut decoder = MultiGzDecoder::new(std::io::BufReader::new(file));
    let mut buf = vec![0u8; 256 * 1024];
    let mut written: u64 = 0;
    let mut damage = None;
    loop {
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
    Ok((out, damage))
}

/// Maps `file` read-only. This is the one `unsafe` call in synack: a mapping is unsafe
/// in Rust's sense only because another process could truncate the file while it is
/// mapped (the kernel then raises SIGBUS). The bytes are only ever read through
/// bounds-checked slices, and a capture being rewritten while open is the same hazard
/// every mmap-based reader accepts; the speed target of a million packets needs it.
#[allow(unsafe_code)]
fn map_read_only(file: &File) -> std::io::Result<Mmap> {
    // SAFETY: see above; the map is private and read-only, and nothing here writes it.
    unsafe { memmap2::MmapOptions::new().map(file) }
}
