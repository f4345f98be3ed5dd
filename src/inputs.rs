//! Finding input files: the paths given, and `.pdf` / `.txt` files and
//! images (`.png`, `.jpg`, `.tif`, …) found recursively in folders, in a
//! stable (sorted) order.

use std::path::{Path, PathBuf};

/// File extensions looked for inside folders. Files named directly are
/// taken whatever their extension (their content decides the format).
pub const EXTENSIONS: [&str; 7] = ["pdf", "txt", "png", "jpg", "jpeg", "tif", "tiff"];

/// Expands files and folders into a sorted, de-duplicated list of files.
/// Hidden files and folders (starting with `.`) inside folders are skipped;
/// symbolic links to files are followed, links to folders are not (see
/// [`collect_all`]).
///
/// # Errors
///
/// The first path given or found that cannot be read (a missing path, a
/// folder that cannot be listed).
pub fn collect(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let collected = collect_all(paths)?;
    match collected.unreadable.into_iter().next() {
        Some((path, e)) => Err(std::io::Error::new(
            e.kind(),
            format!("{}: {e}", path.display()),
        )),
        None => Ok(collected.files),
    }
}

/// What [`collect_all`] found.
#[derive(Debug, Default)]
pub struct Collected {
    /// The input files, sorted and de-duplicated.
    pub files: Vec<PathBuf>,
    /// Folders inside the paths given that could not be listed, with why:
    /// their files are not among `files`.
    pub unreadable: Vec<(PathBuf, std::io::Error)>,
    /// What was left out on purpose and why (a link to a folder), for the
    /// user.
    pub notes: Vec<String>,
}

/// Like [`collect`], but a folder inside the paths given that cannot be
/// listed ("Permission denied") is reported in [`Collected::unreadable`]
/// and the rest is still collected.
///
/// Inside folders, a symbolic link to a file with an input extension is
/// taken (under the link's own path), also when its target is missing, so
/// that it fails with a reason instead of vanishing; a link to a folder is
/// not followed (it could loop, or lead out of the tree) and is noted.
///
/// # Errors
///
/// A path given that does not exist or cannot be read: that is a mistake
/// in the command, not in the archive.
pub fn collect_all(paths: &[PathBuf]) -> std::io::Result<Collected> {
    let mut out = Collected::default();
    for p in paths {
        let meta = std::fs::metadata(p)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", p.display())))?;
        if meta.is_dir() {
            walk(p, &mut out);
        } else {
            out.files.push(p.clone());
        }
    }
    out.files.sort();
    out.files.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Collected) {
    let listed = std::fs::read_dir(dir).and_then(std::iter::Iterator::collect::<Result<Vec<_>, _>>);
    let mut entries = match listed {
        Ok(entries) => entries,
        Err(e) => {
            out.unreadable.push((dir.to_path_buf(), e));
            return;
        }
    };
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for e in entries {
        let name = e.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = e.path();
        let ft = match e.file_type() {
            Ok(ft) => ft,
            Err(err) => {
                out.unreadable.push((path, err));
                continue;
            }
        };
        if ft.is_dir() {
            walk(&path, out);
        } else if ft.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(target) if target.is_dir() => out.notes.push(format!(
                    "{}: a link to a folder, not followed (links could loop or lead out of the \
                     folders given); name the folder itself to convert it",
                    path.display()
                )),
                // A link to a file, or a broken link: taken, so that a
                // broken one fails with its reason.
                _ if has_input_extension(&path) => out.files.push(path),
                _ => {}
            }
        } else if ft.is_file() && has_input_extension(&path) {
            out.files.push(path);
        }
    }
}

fn has_input_extension(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_sorted_and_hidden_files_skipped() {
        let dir = std::env::temp_dir().join(format!("uppf-inputs-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("b")).unwrap();
        for f in ["b/z.pdf", "a.txt", ".hidden.txt", "notes.md", "b/y.PDF"] {
            std::fs::write(dir.join(f), b"x").unwrap();
        }
        let got = collect(std::slice::from_ref(&dir)).unwrap();
        let names: Vec<String> = got
            .iter()
            .map(|p| p.strip_prefix(&dir).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a.txt", "b/y.PDF", "b/z.pdf"]);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn links_to_files_are_taken_and_links_to_folders_noted() {
        let dir = std::env::temp_dir().join(format!("uppf-links-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("sub/a.txt"), b"x").unwrap();
        std::os::unix::fs::symlink(dir.join("sub/a.txt"), dir.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(dir.join("gone.txt"), dir.join("broken.txt")).unwrap();
        std::os::unix::fs::symlink(dir.join("sub"), dir.join("folder-link")).unwrap();
        let got = collect_all(std::slice::from_ref(&dir)).unwrap();
        let names: Vec<String> = got
            .files
            .iter()
            .map(|p| p.strip_prefix(&dir).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["broken.txt", "link.txt", "sub/a.txt"]);
        assert_eq!(got.notes.len(), 1, "{:?}", got.notes);
        assert!(got.notes[0].contains("folder-link"), "{:?}", got.notes);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
