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
/// Dropped without a commit, it is removed and the target is untouched.
pub struct AtomicFile {
    target: std::path::PathBuf,
    // Large writes: an export of a big capture is tens of megabytes.
    out: std::io::BufWriter<tempfile::NamedTempFile>,
    /// Bytes written since the last background sync started.
    unsynced: usize,
    /// A sync of what was written so far, on its own thread: the disk writes of a
    /// long export overlap the rest of it instead of all waiting for the last sync.
    syncing: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

/// Bytes after which what was written is synced in the background.
const SYNC_EVERY: usize = 8 << 20;

impl AtomicFile {
    /// Creates the temporary file in `path`'s directory.
    pub fn create(path: &Path) -> std::io::Result<Self> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let temp = tempfile::Builder::new()
            .prefix(".synack-")
            .suffix(".part")
            .tempfile_in(dir)?;
        Ok(Self {
            target: path.to_owned(),
            out: std::io::BufWriter::with_capacity(1 << 20, temp),
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
        self.finish_sync()?;
        self.out.flush()?;
        let file = self.out.get_ref().as_file().try_clone()?;
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
        let temp = self.out.into_inner().map_err(|e| e.into_error())?;
        temp.as_file().sync_all()?;
        temp.persist(&self.target).map_err(|e| e.error)?;
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
