//! Finding input files: the paths given, and `.pdf` / `.txt` files and
//! images (`.png`, `.jpg`, `.tif`, …) found recursively in folders, in a
//! stable (sorted) order.

use std::path::{Path, PathBuf};

/// File extensions looked for inside folders. Files named directly are
/// taken whatever their extension (their content decides the format).
pub const EXTENSIONS: [&str; 7] = ["pdf", "txt", "png", "jpg", "jpeg", "tif", "tiff"];

/// Expands files and folders into a sorted, de-duplicated list of files.
/// Hidden files and folders (starting with `.`) inside folders are skipped;
/// symbolic links are not followed into folders.
pub fn collect(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", p.display())))?;
        if meta.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = e.path();
        let ft = e.file_type()?;
        if ft.is_dir() {
            walk(&path, out)?;
        } else if ft.is_file() && has_input_extension(&path) {
            out.push(path);
        }
    }
    Ok(())
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
}
