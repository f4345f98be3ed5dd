//! How the process asks the system for memory, and what a worker does
//! when it gets none.
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
//!
//! A worker process (see `read::worker`) runs under an address-space
//! limit, so a failed allocation there means the file needed more than
//! `--max-memory`. [`Allocator`] makes such a worker exit at once with
//! [`EXIT_OUT_OF_MEMORY`]: the parent tells the cause by that status
//! alone, whatever the worker printed (Rust's own handler prints a
//! message that a `RUST_BACKTRACE` backtrace then buries, and aborts).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};

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

/// The exit status of a worker that could not allocate memory: it ran
/// into its address-space limit.
pub const EXIT_OUT_OF_MEMORY: i32 = 86;

/// Whether a failed allocation ends the process with
/// [`EXIT_OUT_OF_MEMORY`] (set in workers only).
static EXIT_ON_FAILURE: AtomicBool = AtomicBool::new(false);

/// Makes a failed allocation end this process at once with exit status
/// [`EXIT_OUT_OF_MEMORY`], when [`Allocator`] is the global allocator. For
/// worker processes, whose parent reads that status; elsewhere Rust's
/// handler (a message, then an abort) is the better report.
pub fn exit_on_allocation_failure() {
    EXIT_ON_FAILURE.store(true, Ordering::Relaxed);
}

/// The system allocator, which reports a failed allocation by exit status
/// once [`exit_on_allocation_failure`] was called. The binary installs it
/// with `#[global_allocator]`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Allocator;

// SAFETY: every call is handed to `System` with the same arguments; a
// null result is passed on, or ends the process before anyone sees it.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc`'s contract, which is System's.
        let p = unsafe { System.alloc(layout) };
        if p.is_null() {
            allocation_failed();
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if p.is_null() {
            allocation_failed();
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `alloc`; `ptr` came from this allocator, which is
        // System's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            allocation_failed();
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, which is System's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// In a worker, ends the process with [`EXIT_OUT_OF_MEMORY`]; elsewhere
/// returns, and the caller's null pointer takes Rust's usual way.
fn allocation_failed() {
    if !EXIT_ON_FAILURE.load(Ordering::Relaxed) {
        return;
    }
    #[cfg(unix)]
    {
        const MESSAGE: &[u8] = b"uppfoljning worker: out of memory (the --max-memory limit)\n";
        // SAFETY: write and _exit are async-signal-safe system calls that
        // allocate nothing (this runs inside the allocator); _exit runs no
        // destructors, which may be half-way through with the heap.
        unsafe {
            libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
            libc::_exit(EXIT_OUT_OF_MEMORY);
        }
    }
    #[cfg(not(unix))]
    std::process::exit(EXIT_OUT_OF_MEMORY);
}
