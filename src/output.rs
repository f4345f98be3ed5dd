//! Writing outputs safely: a file appears complete or not at all.

use std::io::Write;
use std::path::Path;

/// What separates a temporary file's target name from the writing
/// process's id: `.NAME.tmp-PID`.
const TEMP_MARK: &str = ".tmp-";

/// Removes temporary files that [`write_atomic`] left in `dir` when its
/// process was killed (SIGKILL, power loss) part-way; files of processes
/// still running are left alone. Returns how many were removed.
pub fn remove_stale_temporaries(dir: &Path) -> usize {
    crate::cleanup::remove_entries_of_dead_processes(
        dir,
        |e| {
            e.file_name()
                .to_str()?
                .strip_prefix('.')
                .and_then(|n| n.rsplit_once(TEMP_MARK))
                .and_then(|(_, pid)| pid.parse::<u32>().ok())
        },
        |path| std::fs::remove_file(path),
    )
}

/// Writes `bytes` to `path` atomically: into a temporary file in the same
/// folder, flushed to disk, then renamed over `path`. A crash or kill
/// part-way leaves the old file (or none), never half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "out".to_string(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(
        ".{}{TEMP_MARK}{}",
        short_name(&name),
        std::process::id()
    ));
    crate::cleanup::register(&tmp);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    crate::cleanup::unregister(&tmp);
    result
}

/// Longer names are shortened in temporary names.
const MAX_TEMP_STEM: usize = 64;

/// `name` as the stem of a temporary name: itself if short, else its start
/// and a hash of the whole, so that the temporary name is never longer than
/// the final one can be (a 236-character output name must not fail as
/// "File name too long" because of its temporary name).
fn short_name(name: &str) -> std::borrow::Cow<'_, str> {
    if name.len() <= MAX_TEMP_STEM {
        return name.into();
    }
    let mut cut = MAX_TEMP_STEM - 9;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    let hash = crate::pipeline::hex_sha256(name.as_bytes());
    format!("{}~{}", &name[..cut], &hash[..8]).into()
}

/// An exclusive lock on one file of a folder, between processes: held
/// while the file is read and rewritten (two batches writing into the same
/// `--out` must not lose each other's `errors.jsonl` lines). It is a file
/// `.NAME.lock` holding the owner's process id, made with `create_new`; a
/// lock whose owner is gone is taken over. Released (removed) on drop.
#[derive(Debug)]
pub struct DirLock {
    path: std::path::PathBuf,
}

impl DirLock {
    /// How long to wait for another process's lock.
    const WAIT: std::time::Duration = std::time::Duration::from_secs(60);

    /// Takes the lock on `dir/name`, waiting while another live process
    /// holds it.
    ///
    /// # Errors
    ///
    /// The lock file cannot be made, or another process held it for longer
    /// than a minute.
    pub fn acquire(dir: &Path, name: &str) -> std::io::Result<DirLock> {
        let path = dir.join(format!(".{name}.lock"));
        let start = std::time::Instant::now();
        loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    crate::cleanup::register(&path);
                    let _ = write!(f, "{}", std::process::id());
                    return Ok(DirLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let owner = std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|t| t.trim().parse::<u32>().ok());
                    // A lock file still empty is being written by its owner.
                    if owner.is_some_and(|pid| !crate::cleanup::process_alive(pid)) {
                        let _ = std::fs::remove_file(&path);
                        continue;
                    }
                    if start.elapsed() > Self::WAIT {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::WouldBlock,
                            format!(
                                "{} is held by process {} for more than a minute",
                                path.display(),
                                owner.map_or_else(|| "?".to_string(), |p| p.to_string())
                            ),
                        ));
                    }
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        crate::cleanup::unregister(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_leaving_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("uppf-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_long_name_gets_a_short_temporary_name() {
        let dir = std::env::temp_dir().join(format!("uppf-long-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let name = format!("{}.pdf.json", "å".repeat(118));
        assert!(name.len() > 236, "{}", name.len());
        write_atomic(&dir.join(&name), b"{}").unwrap();
        assert_eq!(std::fs::read(dir.join(&name)).unwrap(), b"{}");
        assert!(short_name(&name).len() <= MAX_TEMP_STEM);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_lock_is_exclusive_and_a_dead_owner_loses_it() {
        let dir = std::env::temp_dir().join(format!("uppf-lock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // pid 4294967 is above Linux's pid_max: no such process.
        std::fs::write(dir.join(".e.lock"), "4294967").unwrap();
        let lock = DirLock::acquire(&dir, "e").unwrap();
        let taken = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            let waiter = s.spawn(|| {
                let second = DirLock::acquire(&dir, "e").unwrap();
                assert!(taken.load(std::sync::atomic::Ordering::SeqCst));
                drop(second);
            });
            std::thread::sleep(std::time::Duration::from_millis(100));
            taken.store(true, std::sync::atomic::Ordering::SeqCst);
            drop(lock);
            waiter.join().unwrap();
        });
        assert!(!dir.join(".e.lock").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn stale_temporaries_of_dead_processes_are_removed() {
        let dir = std::env::temp_dir().join(format!("uppf-stale-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // pid 4294967 is above Linux's pid_max: no such process.
        let dead = dir.join(".a.pdf.json.tmp-4294967");
        let mine = dir.join(format!(".b.pdf.json.tmp-{}", std::process::id()));
        let output = dir.join("a.pdf.json");
        for p in [&dead, &mine, &output] {
            std::fs::write(p, b"{").unwrap();
        }
        assert_eq!(remove_stale_temporaries(&dir), 1);
        assert!(!dead.exists() && mine.exists() && output.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
