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
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let me = std::process::id();
    entries
        .flatten()
        .filter(|e| {
            let name = e.file_name();
            let Some(name) = name.to_str() else {
                return false;
            };
            let pid = name
                .strip_prefix('.')
                .and_then(|n| n.rsplit_once(TEMP_MARK))
                .and_then(|(_, pid)| pid.parse::<u32>().ok());
            match pid {
                Some(pid) => pid != me && !process_alive(pid),
                None => false,
            }
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// Whether a process with this id runs (on Linux; elsewhere assumed gone).
fn process_alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
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
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_string());
    let tmp = dir.join(format!(".{name}{TEMP_MARK}{}", std::process::id()));
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
