//! How each type of field reads a JSON value (checked against its row's kind), checks a value
//! set by hand, and writes itself back.

use super::{Kind, Setting};
use crate::error::{number, quote, Error, Result};
use serde_json::Value;

/// How a field's type reads, checks and writes its values.
pub(crate) trait FieldValue: Sized {
    fn read(setting: &Setting, value: &Value) -> Result<Self>;
    fn check(&self, setting: &Setting) -> Result<()>;
    fn to_json(&self) -> Value;
}

fn out_of_range(setting: &Setting, got: &str) -> Error {
    match setting.kind {
        Kind::Integer { min, max, .. } => Error::Config(format!("{} must be a whole number from {min} to {max}, got {got}", setting.key)),
        _ => Error::Config(format!("{} is not a whole number setting", setting.key)),
    }
}

fn read_integer(setting: &Setting, value: &Value) -> Result<u64> {
    let n = match value {
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= u64::MAX as f64).map(|f| f as u64)),
        _ => None,
    };
    let n = n.ok_or_else(|| out_of_range(setting, &quote(&value.to_string())))?;
    check_integer(setting, n)?;
    Ok(n)
}

fn check_integer(setting: &Setting, n: u64) -> Result<()> {
    match setting.kind {
        Kind::Integer { min, max, .. } if (min..=max).contains(&n) => Ok(()),
        _ => Err(out_of_range(setting, &n.to_string())),
    }
}

impl FieldValue for usize {
    fn read(setting: &Setting, value: &Value) -> Result<usize> {
        read_integer(setting, value).map(|n| n as usize)
    }
    fn check(&self, setting: &Setting) -> Result<()> {
        check_integer(setting, *self as u64)
    }
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl FieldValue for u32 {
    fn read(setting: &Setting, value: &Value) -> Result<u32> {
        read_integer(setting, value).map(|n| n as u32)
    }
    fn check(&self, setting: &Setting) -> Result<()> {
        check_integer(setting, *self as u64)
    }
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl FieldValue for bool {
    fn read(setting: &Setting, value: &Value) -> Result<bool> {
        value.as_bool().ok_or_else(|| Error::Config(format!("{} must be true or false, got {}", setting.key, quote(&value.to_string()))))
    }
    fn check(&self, _: &Setting) -> Result<()> {
        Ok(())
    }
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

/// null, or a value of the inner type: `modelSeed` (null: no re-seed), `clipNorm` (null: none).
impl<T: FieldValue> FieldValue for Option<T> {
    fn read(setting: &Setting, value: &Value) -> Result<Option<T>> {
        if value.is_null() {
            Ok(None)
        } else {
            T::read(setting, value).map(Some)
        }
    }
    fn check(&self, setting: &Setting) -> Result<()> {
        self.as_ref().map_or(Ok(()), |v| v.check(setting))
    }
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_json)
    }
}

impl FieldValue for f64 {
    fn read(setting: &Setting, value: &Value) -> Result<f64> {
        let v = value.as_f64().ok_or_else(|| Error::Config(format!("{} must be a number, got {}", setting.key, quote(&value.to_string()))))?;
        v.check(setting)?;
        Ok(v)
    }
    fn check(&self, setting: &Setting) -> Result<()> {
        if setting.kind == Kind::Fraction {
            if !(0.0..1.0).contains(self) {
                return Err(Error::Config(format!("{} must be a number from 0 up to (not including) 1, got {}", setting.key, number(*self))));
            }
        } else if !self.is_finite() || *self <= 0.0 {
            return Err(Error::Config(format!("{} must be a finite number above 0, got {}", setting.key, number(*self))));
        }
        Ok(())
    }
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

/// A choice's name as a string, or a clear error.
pub(crate) fn read_name<'a>(setting: &Setting, value: &'a Value) -> Result<&'a str> {
    value.as_str().ok_or_else(|| Error::Config(format!("{} must be a string, got {}", setting.key, quote(&value.to_string()))))
}

pub(crate) fn unknown_choice(setting: &Setting, name: &str, choices: &[&str]) -> Error {
    Error::Config(format!("unknown {} \"{}\"; known: {}", setting.key, quote(name), choices.join(", ")))
}
