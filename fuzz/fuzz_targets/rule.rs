//! Fuzzes the deadline rule parser and evaluator: the first eight bytes choose the start
//! instant, the ninth the calendar, the rest is the rule's text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 9 {
        return;
    }
    let (head, rest) = data.split_at(9);
    let seconds = u64::from_le_bytes(head[..8].try_into().expect("eight bytes"));
    if let Ok(text) = std::str::from_utf8(rest) {
        onboard::fuzz::rule(text, seconds, usize::from(head[8]));
    }
});
