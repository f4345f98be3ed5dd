//! Temporary files and folders that must not outlive an interrupted run.
//!
//! Code that creates a temporary path registers it here and unregisters it
//! once it has removed (or renamed) it; the binary's Ctrl-C / SIGTERM
//! handler calls [`remove_all`] before it exits, so OCR page images and
//! half-written outputs are gone even when the user stops a long batch.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    // A panic while holding the lock leaves a list that is still valid.
    LIVE.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Registers a temporary file or folder for removal on interrupt.
pub fn register(path: &Path) {
    live().push(path.to_path_buf());
}

/// Forgets a path registered with [`register`] (it was removed or kept).
pub fn unregister(path: &Path) {
    let mut live = live();
    if let Some(i) = live.iter().rposition(|p| p == path) {
        live.swap_remove(i);
    }
}

/// Removes every registered path; returns how many were removed.
pub fn remove_all() -> usize {
    let paths = std::mem::take(&mut *live());
    paths.iter().filter(|p| remove(p)).count()
}

/// Removes a file or folder. A child process (pdftoppm, tesseract) may
/// still be writing into a folder, so a failed removal is retried briefly.
fn remove(path: &Path) -> bool {
    for attempt in 0..5 {
        let removed = if path.is_dir() {
            std::fs::remove_dir_all(path)
        } else {
            std::fs::remove_file(path)
        };
        match removed {
            Ok(()) => return true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return false,
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(20 << attempt)),
        }
    }
    false
}

/// How every OCR temporary folder's name starts, in the system's temporary
/// folder: `uppfoljning-ocr-PID-…`.
pub const OCR_TEMP_PREFIX: &str = "uppfoljning-ocr-";

/// A stale OCR folder must be at least this old: a folder whose owner's id
/// cannot be seen (another pid namespace sharing the temporary folder) is
/// then at least not one being filled right now.
const STALE_AGE: std::time::Duration = std::time::Duration::from_secs(60);

/// Removes OCR temporary folders that runs killed with SIGKILL (which no
/// handler sees) left in the system's temporary folder: those named
/// [`OCR_TEMP_PREFIX`]`PID-…` whose process is gone, older than a minute.
/// Folders of running processes, and of other users (which the temporary
/// folder's sticky bit protects), stay. Returns how many were removed.
pub fn remove_stale_ocr_folders() -> usize {
    remove_stale_ocr_folders_in(&std::env::temp_dir(), STALE_AGE)
}

fn remove_stale_ocr_folders_in(tmp: &Path, min_age: std::time::Duration) -> usize {
    remove_entries_of_dead_processes(
        tmp,
        |e| {
            let pid = e
                .file_name()
                .to_str()
                .and_then(|n| n.strip_prefix(OCR_TEMP_PREFIX))
                .and_then(|rest| rest.split('-').next())
                .and_then(|pid| pid.parse::<u32>().ok())?;
            let old = e
                .metadata()
                .ok()
                .filter(std::fs::Metadata::is_dir)
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age >= min_age);
            old.then_some(pid)
        },
        |path| std::fs::remove_dir_all(path),
    )
}

/// Removes, with `remove`, the entries of `dir` that belong to a process
/// that is gone: `owner` gives the id of the process an entry belongs to,
/// or `None` for an entry it does not recognise (or is not ready to
/// remove). Entries of this process and of running ones stay. Returns how
/// many were removed.
pub(crate) fn remove_entries_of_dead_processes(
    dir: &Path,
    owner: impl Fn(&std::fs::DirEntry) -> Option<u32>,
    remove: impl Fn(&Path) -> std::io::Result<()>,
) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let me = std::process::id();
    entries
        .flatten()
        .filter(|e| owner(e).is_some_and(|pid| pid != me && !process_alive(pid)))
        .filter(|e| remove(&e.path()).is_ok())
        .count()
}

/// Whether a process with this id runs (on Linux; elsewhere assumed gone).
pub(crate) fn process_alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_paths_are_removed_and_unregistered_ones_kept() {
        let dir = std::env::temp_dir().join(format!("uppf-cleanup-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("sub/page-1.png"), b"x").unwrap();
        let keep = dir.join("keep.txt");
        std::fs::write(&keep, b"x").unwrap();
        register(&dir.join("sub"));
        register(&keep);
        unregister(&keep);
        assert!(remove_all() >= 1);
        assert!(!dir.join("sub").exists());
        assert!(keep.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn stale_ocr_folders_of_dead_processes_are_removed() {
        let tmp = std::env::temp_dir().join(format!("uppf-stale-ocr-{}", std::process::id()));
        // pid 4294967 is above Linux's pid_max: no such process.
        let dead = tmp.join(format!("{OCR_TEMP_PREFIX}4294967-0-123"));
        let mine = tmp.join(format!("{OCR_TEMP_PREFIX}{}-0-123", std::process::id()));
        let other = tmp.join("someone-elses-4294967");
        for d in [&dead, &mine, &other] {
            std::fs::create_dir_all(d.join("sub")).unwrap();
            std::fs::write(d.join("sub/page-1.png"), b"x").unwrap();
        }
        // Too young: kept.
        assert_eq!(
            remove_stale_ocr_folders_in(&tmp, std::time::Duration::from_secs(3600)),
            0
        );
        assert_eq!(
            remove_stale_ocr_folders_in(&tmp, std::time::Duration::ZERO),
            1
        );
        assert!(!dead.exists() && mine.exists() && other.exists());
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
