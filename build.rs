//! Records the git revision the binary is built from, for the provenance
//! every report carries (`provenance.tool.revision`, see
//! `docs/contract.md`).
//!
//! `UPPFOLJNING_GIT_REVISION` is set to the commit of `HEAD` when the
//! crate is built from its own git checkout (the repository's top folder
//! is the crate's) with `git` on the path, and to the empty string
//! otherwise (a crates.io package, a source tarball, a copy inside another
//! repository, no git): the build never fails for want of git. The script runs again when
//! `HEAD` moves (a commit, a checkout), not on every edit: a build from a
//! checkout with uncommitted changes carries the revision of its last
//! commit.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // Only the crate's own checkout counts: a crate unpacked inside some
    // other git repository (a vendored copy) is not built from its commits.
    let own_checkout = match (
        git(&["rev-parse", "--show-toplevel"]),
        std::env::var("CARGO_MANIFEST_DIR"),
    ) {
        (Some(top), Ok(dir)) => same_dir(Path::new(&top), Path::new(&dir)),
        _ => false,
    };
    let revision = own_checkout
        .then(|| git(&["rev-parse", "HEAD"]))
        .flatten()
        .filter(|r| r.len() >= 7 && r.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_default();
    println!("cargo:rustc-env=UPPFOLJNING_GIT_REVISION={revision}");
    if !own_checkout {
        return;
    }
    // What moves when HEAD does: HEAD itself (a checkout, a commit on a
    // detached HEAD), the branch it points at, and the packed refs.
    if let Some(dir) = git(&["rev-parse", "--git-dir"]).map(PathBuf::from) {
        watch(&dir.join("HEAD"));
        if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
            let common = git(&["rev-parse", "--git-common-dir"]).map_or(dir.clone(), PathBuf::from);
            watch(&common.join(&branch));
            watch(&common.join("packed-refs"));
        }
    }
}

/// Whether two paths name the same folder (links resolved).
fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Tells cargo to run the script again when `path` changes (when it
/// exists: a path that does not would make it run at every build).
fn watch(path: &Path) {
    if path.exists() {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

/// The trimmed output of a git command run in the crate's folder, if git
/// is there and the command succeeds.
fn git(args: &[&str]) -> Option<String> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")?;
    let out = Command::new("git")
        .args(args)
        .current_dir(&dir)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    if text.is_empty() {
        return None;
    }
    // Relative paths (`.git`) are relative to the crate's folder.
    let path = Path::new(&text);
    if args.first() == Some(&"rev-parse")
        && args.get(1).is_some_and(|a| a.starts_with("--git"))
        && path.is_relative()
    {
        return Some(Path::new(&dir).join(path).display().to_string());
    }
    Some(text)
}
