//! Writing files so that nothing is ever half-written: the bytes go to a temporary
//! file beside the target, which is flushed and then renamed into place. A failure
//! leaves no partial file and an existing file of that name untouched.

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically.
pub fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, |w| w.write_all(bytes))
}

/// Creates `path` atomically from what `fill` writes.
pub fn write_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    fill(&mut file)?;
    file.commit()
}

/// A file being written beside its target, renamed into place by [`Self::commit`]:
/// for writers that fill it bit by bit (an export written while the capture loads).
/// Dropped without a commit, it is removed and the target is untouched. A target
/// that is no regular file (`/dev/null`, a pipe) is written directly: renaming a
/// file over it would replace the device; `-` is the standard output, as in tshark's
/// and dumpcap's `-w -`.
pub struct AtomicFile {
    target: std::path::PathBuf,
    // Large writes: an export of a big capture is tens of megabytes.
    out: std::io::BufWriter<Destination>,
    /// Bytes written since the last background sync started.
    unsynced: usize,
    /// A sync of what was written so far, on its own thread: the disk writes of a
    /// long export overlap the rest of it instead of all waiting for the last sync.
    syncing: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

/// Where an [`AtomicFile`]'s bytes go.
enum Destination {
    /// A temporary file beside the target.
    Temp(tempfile::NamedTempFile),
    /// The target itself: a device or a pipe.
    Direct(std::fs::File),
}

impl Destination {
    fn file(&self) -> &std::fs::File {
        match self {
            Destination::Temp(temp) => temp.as_file(),
            Destination::Direct(file) => file,
        }
    }
}

impl Write for Destination {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self {
            Destination::Temp(temp) => temp.write(bytes),
            Destination::Direct(file) => file.write(bytes),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Destination::Temp(temp) => temp.flush(),
            Destination::Direct(file) => file.flush(),
        }
    }
}

/// Bytes after which what was written is synced in the background.
const SYNC_EVERY: usize = 8 << 20;

impl AtomicFile {
    /// Creates the temporary file in `path`'s directory (or opens `path` itself when
    /// it is a device or a pipe, or the standard output for `-`).
    pub fn create(path: &Path) -> std::io::Result<Self> {
        let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
        let destination = if path == Path::new("-") {
            use std::os::fd::AsFd;
            let stdout = std::io::stdout().as_fd().try_clone_to_owned()?;
            Destination::Direct(std::fs::File::from(stdout))
        } else if special {
            Destination::Direct(std::fs::OpenOptions::new().write(true).open(path)?)
        } else {
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            let temp = tempfile::Builder::new()
                .prefix(".synack-")
                .suffix(".part")
                .tempfile_in(dir)?;
            Destination::Temp(temp)
        };
        Ok(Self {
            target: path.to_owned(),
            out: std::io::BufWriter::with_capacity(1 << 20, destination),
            unsynced: 0,
            syncing: None,
        })
    }

    /// Counts `written` bytes; past [`SYNC_EVERY`], starts syncing them in the
    /// background (unless a sync still runs).
    fn note_written(&mut self, written: usize) -> std::io::Result<()> {
        self.unsynced = self.unsynced.saturating_add(written);
        if self.unsynced < SYNC_EVERY || self.syncing.as_ref().is_some_and(|s| !s.is_finished()) {
            return Ok(());
        }
        if matches!(self.out.get_ref(), Destination::Direct(_)) {
            return Ok(());
        }
        self.finish_sync()?;
        self.out.flush()?;
        let file = self.out.get_ref().file().try_clone()?;
        self.syncing = Some(
            std::thread::Builder::new()
                .name("export sync".into())
                .spawn(move || file.sync_data())?,
        );
        self.unsynced = 0;
        Ok(())
    }

    /// Waits for the background sync, if one runs, and reports its error.
    fn finish_sync(&mut self) -> std::io::Result<()> {
        match self.syncing.take().map(std::thread::JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(std::io::Error::other("the background sync failed")),
            None => Ok(()),
        }
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> std::io::Result<()> {
        self.finish_sync()?;
        match self.out.into_inner().map_err(|e| e.into_error())? {
            Destination::Temp(temp) => {
                temp.as_file().sync_all()?;
                temp.persist(&self.target).map_err(|e| e.error)?;
            }
            // A device or a pipe: nothing to sync or rename.
            Destination::Direct(_) => {}
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.out.write(bytes)?;
        self.note_written(written)?;
        Ok(written)
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)?;
        self.note_written(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Moves the finished directory `temp` (made beside `target`) to `target`, replacing
/// a previous `target` only after the new one is complete: the old one is first
/// renamed aside, then the new one renamed in, then the old one removed. A reader
/// sees either the old directory or the new one, never a half-written one.
pub fn replace_dir(temp: tempfile::TempDir, target: &Path) -> std::io::Result<()> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let aside = if target.exists() {
        let aside = tempfile::Builder::new()
            .prefix(".synack-old-")
            .tempdir_in(dir)?;
        let aside_path = aside.path().join("old");
        std::fs::rename(target, &aside_path)?;
        Some(aside)
    } else {
        None
    };
    let temp_path = temp.keep();
    if let Err(e) = std::fs::rename(&temp_path, target) {
        // Leave nothing behind: the new files go, the old directory comes back.
        if let Some(aside) = &aside {
            std::fs::rename(aside.path().join("old"), target)?;
        }
        std::fs::remove_dir_all(&temp_path)?;
        return Err(e);
    }
    // Dropping `aside` removes the old directory.
    drop(aside);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_written_in_place_not_replaced() {
        let null = Path::new("/dev/null");
        let before = std::fs::metadata(null).map(|m| m.file_type());
        assert!(write_file(null, b"bytes nobody keeps").is_ok());
        let after = std::fs::metadata(null).map(|m| m.file_type());
        assert_eq!(before.ok(), after.ok());
        assert!(std::fs::metadata(null).is_ok_and(|m| !m.is_file()));
    }

    #[test]
    fn a_file_is_renamed_into_place() {
        let dir = match tempfile::tempdir() {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let path = dir.path().join("out.bin");
        assert!(write_file(&path, b"one").is_ok());
        assert!(write_file(&path, b"two").is_ok());
        assert_eq!(std::fs::read(&path).ok().as_deref(), Some(&b"two"[..]));
        // Nothing else is left beside it.
        let names = std::fs::read_dir(dir.path())
            .map(|d| d.count())
            .unwrap_or(0);
        assert_eq!(names, 1);
    }
}
