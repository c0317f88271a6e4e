//! The numbers a user types for the sum: whatever the text, the digit parser answers (never a
//! panic), what it accepts fits the model, and digits that fit read back as typed.
//! (Its messages, through the wasm facade: tests/wasm_api.rs; on the page: tests/e2e/sum-input.test.mjs.)

use proptest::prelude::*;
use rnn_playground::data::parse_number;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any text (control characters and non-ASCII included): refused, or a number of at most
    /// `digits` digits.
    #[test]
    fn typed_numbers_never_panic(text in ".{0,40}", digits in 1usize..=18) {
        if let Ok(n) = parse_number(&text, digits) {
            prop_assert!(n.to_string().len() <= digits);
        }
    }

    #[test]
    fn digits_that_fit_parse_exactly(n in any::<u64>(), digits in 1usize..=18) {
        let text = n.to_string();
        match parse_number(&format!(" {text} "), digits) {
            Ok(v) => prop_assert_eq!(v, n),
            Err(_) => prop_assert!(text.len() > digits),
        }
    }
}
