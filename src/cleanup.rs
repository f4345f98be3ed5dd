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
    LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
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
}
