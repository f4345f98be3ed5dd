//! How the process asks the system for memory.
//!
//! A report's stages allocate and free many short-lived buffers (a page's
//! glyphs, the aligner's tables). glibc's allocator, left at its defaults,
//! hands freed memory back to the kernel as soon as 128 KiB sit free at
//! the top of the heap and grows the heap 128 KiB at a time, so the next
//! report faults the same pages in again: over the digital corpus that was
//! 17,000 page faults and about a tenth of the run's CPU time in the
//! kernel. [`tune_allocator`] keeps up to 64 MiB of freed memory at the top
//! of the heap for reuse and grows the heap in 16 MiB steps (pages of the
//! step not yet used are not resident). Peak memory is unchanged: what is
//! kept was in use before. Blocks from 128 KiB up still get mappings of
//! their own, returned when freed: serving those from the heap too raised
//! the peak of a 300-page scan by 10 MB.

/// Bytes of free memory the heap keeps rather than returning them.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const KEEP: libc::c_int = 64 << 20;

/// Bytes the heap grows by beyond each request.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const GROWTH: libc::c_int = 16 << 20;

/// Tunes the allocator for a run of many reports (see the module docs).
/// Call once, first thing in `main`; does nothing where the allocator is
/// not glibc's.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; called before any
    // other thread exists, it races with nothing. A refused setting
    // (return 0) leaves glibc's default, which is only slower.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, KEEP);
        libc::mallopt(libc::M_TOP_PAD, GROWTH);
    }
}
