//! Fuzzes the playbook parser and validator: any bytes that are UTF-8 text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        onboard::fuzz::playbook(text);
    }
});
