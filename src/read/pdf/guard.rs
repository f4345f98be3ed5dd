//! Runs code that may panic on malformed input and turns the panic into a
//! [`Panic`] that carries its message.
//!
//! pdf-extract panics by design on PDFs it does not understand, and lopdf has
//! a few panics of its own. This module owns the `catch_unwind` around them
//! and keeps the default panic hook from printing a backtrace notice for the
//! panics it catches. It does not decide what an error means to the user.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// True while this thread runs inside [`guarded`]: its panics are caught
    /// and reported as errors, so the hook stays quiet.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

static QUIET_HOOK: Once = Once::new();

/// Installs, once per process, a panic hook that is silent for threads inside
/// [`guarded`] and hands every other panic to the hook that was there before.
///
/// The hook is process-wide, so it must not silence other threads: the flag
/// is thread-local. Whoever replaces the hook later turns the silence off,
/// which costs only noise on stderr, never an uncaught error.
fn install_quiet_hook() {
    QUIET_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            // `try_with` because a panic during thread teardown must still be
            // reported by the previous hook.
            let quiet = GUARDED.try_with(Cell::get).unwrap_or(false);
            if !quiet {
                previous(info);
            }
        }));
    });
}

/// A panic caught by [`guarded`]: its message, shortened and on one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub(super) struct Panic {
    message: String,
}

/// Runs `f`, returning its result, or the panic if it panicked.
///
/// State that `f` mutated may be half-updated after a panic: callers must
/// drop whatever `f` was filling when this returns `Err`.
pub(super) fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, Panic> {
    install_quiet_hook();
    let outer = GUARDED.with(|g| g.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(outer));
    result.map_err(|payload| Panic {
        message: panic_message(payload.as_ref()),
    })
}

/// The text of a panic, shortened: pdf-extract's messages can embed whole
/// PDF objects in `{:?}` form.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    const MAX_CHARS: usize = 160;
    let text = if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        return "an internal error without a message".to_string();
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > MAX_CHARS {
        let cut: String = text.chars().take(MAX_CHARS).collect();
        format!("{cut}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guarded_returns_the_value_when_nothing_panics() {
        assert_eq!(guarded(|| 41 + 1), Ok(42));
    }

    #[test]
    fn guarded_turns_a_panic_into_its_message() {
        let r: Result<(), Panic> = guarded(|| panic!("bad {} object", "font"));
        assert_eq!(r.unwrap_err().to_string(), "bad font object");
    }

    #[test]
    fn guarded_shortens_long_messages() {
        let r: Result<(), Panic> = guarded(|| panic!("{}", "x".repeat(1000)));
        let message = r.unwrap_err().to_string();
        assert!(message.chars().count() <= 161, "{message}");
        assert!(message.ends_with('…'));
    }

    #[test]
    fn guarded_nests_and_restores_the_flag() {
        let r = guarded(|| {
            let inner: Result<(), Panic> = guarded(|| panic!("inner"));
            assert!(GUARDED.with(Cell::get), "still guarded after inner panic");
            inner.map_err(|p| p.to_string())
        });
        assert_eq!(r, Ok(Err("inner".to_string())));
        assert!(!GUARDED.with(Cell::get));
    }

    #[test]
    fn guarded_panics_on_many_threads_stay_separate() {
        let threads: Vec<_> = (0..4)
            .map(|t| {
                std::thread::spawn(move || {
                    for i in 0..50 {
                        let r: Result<(), Panic> = guarded(|| panic!("thread {t} try {i}"));
                        assert_eq!(r.unwrap_err().to_string(), format!("thread {t} try {i}"));
                        assert!(!GUARDED.with(Cell::get));
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("no panic escapes guarded");
        }
    }
}
