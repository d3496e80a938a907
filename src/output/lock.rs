//! The exclusive lock one build holds on an output folder from the moment it starts writing
//! until it has published (or given up). Two builds into the same folder would otherwise tidy
//! away each other's work folders and publish what was left; with the lock the second one
//! waits, and a work folder found while holding the lock can only be a dead build's.
//!
//! The lock is an advisory `flock` on a file beside the output (`.keikaku-<name>.lock`). The
//! kernel releases it when its holder exits in any way, SIGKILL included, so a killed build
//! never leaves the folder locked. The holder removes the file as it finishes, so that nothing
//! is left beside the site; a waiter that then wakes up on the removed file notices (the path
//! no longer names the file it locked) and locks the one that is there now.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use fs4::FileExt;
use fs4::TryLockError;

/// Holds the lock until dropped.
#[derive(Debug)]
pub(super) struct OutputLock {
    file: File,
    path: PathBuf,
}

impl OutputLock {
    /// Takes the lock at `path`, waiting for another holder to finish. `on_wait` is called
    /// once, before the first wait, so that the user learns why nothing is happening.
    pub(super) fn acquire(path: &Path, on_wait: impl FnOnce()) -> io::Result<OutputLock> {
        let mut on_wait = Some(on_wait);
        loop {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)?;
            match FileExt::try_lock(&file) {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    if let Some(f) = on_wait.take() {
                        f();
                    }
                    FileExt::lock(&file)?;
                }
                Err(TryLockError::Error(e)) => return Err(e),
            }
            if still_named_by(&file, path) {
                return Ok(OutputLock {
                    file,
                    path: path.to_path_buf(),
                });
            }
        }
    }

    /// Whether someone holds the lock at `path` right now.
    #[cfg(test)]
    pub(crate) fn is_held(path: &Path) -> bool {
        let Ok(file) = File::open(path) else {
            return false;
        };
        match FileExt::try_lock(&file) {
            Ok(()) => {
                let _ = FileExt::unlock(&file);
                false
            }
            Err(_) => true,
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked: a process that opens the path from now on makes a new
        // file, and one that already waits on this file sees that it is gone.
        if cfg!(unix) {
            let _ = std::fs::remove_file(&self.path);
        }
        let _ = FileExt::unlock(&self.file);
    }
}

/// Whether `path` still names the open `file` (the previous holder may have removed it).
#[cfg(unix)]
fn still_named_by(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Elsewhere an open file cannot be removed, so the lock file stays and always is the one.
#[cfg(not(unix))]
fn still_named_by(_file: &File, _path: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn a_second_holder_waits_and_is_told_so_and_the_file_is_removed_at_the_end() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(".keikaku-public.lock");
        let first = OutputLock::acquire(&path, || panic!("nobody holds it yet")).unwrap();
        assert!(OutputLock::is_held(&path));
        let released = Arc::new(AtomicBool::new(false));
        let waited = Arc::new(AtomicBool::new(false));
        let second = {
            let (path, released, waited) = (path.clone(), released.clone(), waited.clone());
            std::thread::spawn(move || {
                let lock =
                    OutputLock::acquire(&path, || waited.store(true, Ordering::SeqCst)).unwrap();
                assert!(
                    released.load(Ordering::SeqCst),
                    "the lock was taken while the first holder still had it"
                );
                drop(lock);
            })
        };
        std::thread::sleep(Duration::from_millis(200));
        released.store(true, Ordering::SeqCst);
        drop(first);
        second.join().unwrap();
        assert!(waited.load(Ordering::SeqCst));
        assert!(
            !path.exists(),
            "the lock file is removed by its last holder"
        );
        assert!(!OutputLock::is_held(&path));
    }
}
