//! The task: adding two `n_digits`-digit numbers, fed to the network digit by digit. Here are
//! the numbers themselves (their digits, a typed number read, a random pair drawn); how a pair
//! becomes a sequence is a [`Shape`](crate::layout::Shape)'s, and a set of them a
//! [`DataSet`](crate::dataset::DataSet).

use crate::error::{number, quote, Error, Result};
use crate::rng::NumpyRng;

/// Most digits a number may have: the sum of two such numbers must fit in a `u64`.
pub const MAX_DIGITS: usize = 18;

/// Digits 0..9, one-hot: the notebook's C.
pub const N_CLASSES: usize = 10;
/// A step with no target: no loss, no output counted (the delayed layout's steps that read a).
pub const NO_TARGET: usize = usize::MAX;

/// `decimal_to_array(num, width)`: the digits of `num`, zero-padded to `width`, most significant
/// first. Unlike numpy's version it refuses a number that does not fit instead of cutting it.
pub fn digits_of(num: u64, width: usize) -> Result<Vec<u8>> {
    let text = num.to_string();
    if text.len() > width {
        return Err(Error::Input(format!("{num} has {} digits; at most {width} fit", text.len())));
    }
    let mut digits = vec![0u8; width - text.len()];
    digits.extend(text.bytes().map(|c| c - b'0'));
    Ok(digits)
}

/// `array_to_decimal(digits)`: the number whose decimal digits these are, most significant first.
pub fn number_of(digits: &[u8]) -> Result<u64> {
    digits.iter().try_fold(0u64, |acc, &d| {
        if d > 9 {
            return Err(Error::Input(format!("{d} is not a decimal digit")));
        }
        acc.checked_mul(10).and_then(|v| v.checked_add(d as u64)).ok_or_else(|| Error::Input("the number is too large for 64 bits".into()))
    })
}

/// Reads a number typed by a user: decimal digits only, at most `n_digits` of them.
pub fn parse_number(text: &str, n_digits: usize) -> Result<u64> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Error::Input("enter a number".into()));
    }
    if t.starts_with('-') {
        return Err(Error::Input(format!("\"{}\" is negative: only whole numbers from 0 are added", quote(t))));
    }
    if let Some(c) = t.chars().find(|c| !c.is_ascii_digit()) {
        return Err(Error::Input(format!("\"{}\" is not a whole number: '{c}' is not a digit", quote(t))));
    }
    if t.len() > n_digits {
        return Err(Error::Input(format!("\"{}\" has {} digits; this model adds numbers of at most {n_digits}", quote(t), t.len())));
    }
    Ok(t.parse::<u64>().expect("at most 18 ASCII digits always parse"))
}

/// Largest integer a JS number holds exactly: a typed number above it must come as a string.
const MAX_EXACT_JS: f64 = 9_007_199_254_740_991.0;

/// Reads one of the two numbers to add as the page sends it: a JSON number that is a whole number
/// from 0, or a string of decimal digits; `what` names it in messages ("the first number").
pub fn parse_operand(value: &serde_json::Value, n_digits: usize, what: &str) -> Result<u64> {
    use serde_json::Value;
    let in_words = |e: Error| Error::Input(format!("{what}: {e}"));
    match value {
        Value::Number(n) => match (n.as_u64(), n.as_f64()) {
            (Some(u), _) => parse_number(&u.to_string(), n_digits).map_err(in_words),
            (None, Some(f)) if f.fract() == 0.0 && f > MAX_EXACT_JS => {
                Err(Error::Input(format!("{what} is too large to be exact as a JS number; pass it as a string")))
            }
            (None, f) => Err(Error::Input(format!("{what} must be a whole number from 0, got {}", f.map_or(n.to_string(), number)))),
        },
        Value::String(text) => parse_number(text, n_digits).map_err(in_words),
        other => Err(Error::Input(format!("{what} must be a number or a string of digits, got {}", describe(other)))),
    }
}

/// What a refused JSON value is, in a few words.
fn describe(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("the string \"{}\"", quote(s)),
    }
}

/// Two random `n_digits`-digit numbers. With `carry_runs` 0, the notebook's row:
/// `randint(10)` for each digit of a, then of b, most significant first. Otherwise each digit of
/// b is 9 − a's digit in that place with chance `carry_runs`, else uniform. Such a place passes
/// a carry on exactly when one comes in, so its sum digit is 9 or 0 by the carry alone; runs of
/// them make the long carry chains, which uniform digits rarely give (three in a row in under
/// 1 % of 10-digit sums, over ten times as many at 0.2).
pub fn random_pair(rng: &mut NumpyRng, n_digits: usize, carry_runs: f64) -> Result<(u64, u64)> {
    let mut row = [0u8; 2 * MAX_DIGITS];
    let (a, b) = row[..2 * n_digits].split_at_mut(n_digits);
    a.iter_mut().for_each(|d| *d = rng.randint(10) as u8);
    for (db, &da) in b.iter_mut().zip(a.iter()) {
        *db = if carry_runs > 0.0 && rng.next_double() < carry_runs { 9 - da } else { rng.randint(10) as u8 };
    }
    Ok((number_of(a)?, number_of(b)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codec_round_trip_and_errors() {
        assert_eq!(digits_of(142857, 7).unwrap(), [0, 1, 4, 2, 8, 5, 7]);
        assert_eq!(number_of(&[0, 1, 4, 2, 8, 5, 7]).unwrap(), 142857);
        assert!(digits_of(12345678, 7).is_err());
        assert!(number_of(&[1, 10]).is_err());
        assert_eq!(parse_number(" 0042 ", 7).unwrap(), 42);
        for bad in ["", "-3", "1.5", "12a", "12345678", "NaN", "1e3"] {
            assert!(parse_number(bad, 7).is_err(), "{bad:?} should be refused");
        }
    }
}
