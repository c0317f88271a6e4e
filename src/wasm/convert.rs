//! Conversions between JS values and the core's: strict readers of JS arguments (numbers never
//! coerced, NaN and `undefined` refused by name), JSON-compatible writers, typed arrays for the
//! bulk numbers, and a saved model's text parsed by the browser's own `JSON.parse`.

use crate::cells::Parameter;
use crate::config::MAX_FILE_BYTES;
use crate::data::MAX_DIGITS;
use crate::error::{self, quote, Error};
use crate::homework::{Explanation, GivenMatrix};
use crate::session::{HiddenStates, Prediction};
use js_sys::{Array, Float64Array, JsString, Object, Reflect};
use ndarray::Array2;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of a JS string as it stands (js_sys's takes a Rust `&str`, a copy).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;
}

/// A saved model's text as JSON for the core: refused unless a string, and refused before it is
/// copied anywhere when it is over the size a saved model may have.
pub(super) fn parse_saved_model(json: &JsValue) -> Result<Value, JsError> {
    if !json.is_string() {
        return Err(JsError::new("a saved model must be given as a string of JSON"));
    }
    // UTF-16 units never outnumber UTF-8 bytes: a string this long is refused before it is
    // copied into wasm memory at all.
    if JsString::from(json.clone()).length() as usize > MAX_FILE_BYTES {
        return Err(JsError::new(&format!("this file is too large: a saved model is at most {} MB", MAX_FILE_BYTES / (1024 * 1024))));
    }
    // the browser's JSON.parse reads every double exactly; the wasm then needs no JSON parser,
    // and the text is never copied into wasm memory
    let parsed = json_parse(&JsString::from(json.clone())).map_err(|e| {
        let why = js_sys::Error::from(e).message();
        JsError::new(&format!("this is not a saved model: the JSON is broken ({})", String::from(why)))
    })?;
    to_json(&parsed, "the saved model", 0)
}

/// A JS number that is a whole number from 0, or null/undefined for none.
pub(super) fn optional_whole(value: &JsValue, what: &str) -> Result<Option<usize>, JsError> {
    if value.is_null() || value.is_undefined() {
        Ok(None)
    } else {
        whole(value, what).map(Some)
    }
}

/// true or false, or null/undefined for false; never a truthy value coerced.
pub(super) fn optional_flag(value: &JsValue, what: &str) -> Result<bool, JsError> {
    if value.is_null() || value.is_undefined() {
        return Ok(false);
    }
    value.as_bool().ok_or_else(|| JsError::new(&format!("{what} must be true or false, got {}", describe(value))))
}

/// Named matrices as `{ name: { rows, cols, values: Float64Array } }`.
pub(super) fn matrices_to_js(named: &[(&str, &Array2<f64>)]) -> Result<JsValue, JsError> {
    let out = Object::new();
    for (name, a) in named {
        set(&out, name, &matrix_to_js(a)?)?;
    }
    Ok(out.into())
}

/// Homework's explain mode as JS: the case, its weights, and each output's δs and gradients.
pub(super) fn explanation_to_js(e: &Explanation) -> Result<JsValue, JsError> {
    let out = to_js(e)?;
    for (name, a) in e.model.named() {
        set(&out, name, &matrix_to_js(a)?)?;
    }
    let outputs = Array::new();
    for o in &e.outputs {
        let js = to_js(o)?;
        for (name, a) in o.grads.named() {
            set(&js, name, &matrix_to_js(a)?)?;
        }
        outputs.push(&js);
    }
    set(&out, "outputs", &outputs)?;
    Ok(out)
}

/// The two typed numbers of a sum, as JSON for the core.
pub(super) fn operands(a: &JsValue, b: &JsValue) -> Result<(Value, Value), JsError> {
    Ok((operand_from_js(a, "the first number")?, operand_from_js(b, "the second number")?))
}

pub(super) fn prediction_to_js(p: &Prediction) -> Result<JsValue, JsError> {
    let out = to_js(p)?;
    set(&out, "probabilities", &typed(&p.probabilities))?;
    Ok(out)
}

pub(super) fn hidden_to_js(h: &HiddenStates) -> Result<JsValue, JsError> {
    let out = to_js(h)?;
    set(&out, "values", &typed(&h.values))?;
    Ok(out)
}

pub(super) fn js_error(e: Error) -> JsError {
    JsError::new(e.message())
}

/// Plain JSON-like JS values (null stays null, numbers stay numbers).
pub(super) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&format!("internal error converting a result: {e}")))
}

/// A JSON value as the JS value `JSON.parse` makes of it: through serde_json's writer, which the
/// export links anyway, rather than a second serializer for `Value` (kilobytes of wasm).
pub(super) fn json_to_js(value: &Value) -> Result<JsValue, JsError> {
    js_sys::JSON::parse(&value.to_string()).map_err(|_| JsError::new("internal error converting a result"))
}

/// Deepest nesting read from a JS value: settings and options are flat.
const MAX_DEPTH: usize = 8;

/// A JS value as JSON, strictly: `undefined` (at the top: none given) and `null` are null, but
/// `undefined` inside, NaN, ±Infinity, functions, symbols and bigints are refused by name,
/// where serde would have turned some of them into null ("unset") without a word.
pub(super) fn json_from_js(value: &JsValue, what: &str) -> Result<Value, JsError> {
    if value.is_undefined() {
        return Ok(Value::Null);
    }
    to_json(value, what, 0)
}

fn to_json(value: &JsValue, path: &str, depth: usize) -> Result<Value, JsError> {
    let refuse = |why: &str| Err(JsError::new(&format!("{path} {why}")));
    if depth > MAX_DEPTH {
        return refuse("is nested too deeply");
    }
    if value.is_null() {
        return Ok(Value::Null);
    }
    if value.is_undefined() {
        return refuse("is undefined: leave it out, or give it a value");
    }
    if let Some(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = value.as_f64() {
        // JS has one number type: a whole one is read as an integer, as JSON text would be
        if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 {
            return Ok(Value::from(n as i64));
        }
        return match serde_json::Number::from_f64(n) {
            Some(n) => Ok(Value::Number(n)),
            None => refuse(&format!("must be a finite number, got {}", error::number(n))),
        };
    }
    if let Some(s) = value.as_string() {
        return Ok(Value::String(s));
    }
    if value.is_function() || value.is_symbol() || value.is_bigint() {
        return refuse("must be a number, a string, true/false, null, a list or an object");
    }
    if Array::is_array(value) {
        let items = Array::from(value);
        return items.iter().enumerate().map(|(i, v)| to_json(&v, &format!("{path}[{i}]"), depth + 1)).collect::<Result<_, _>>().map(Value::Array);
    }
    let mut map = serde_json::Map::new();
    for entry in Object::entries(&Object::from(value.clone())).iter() {
        let entry = Array::from(&entry);
        let key = entry.get(0).as_string().unwrap_or_default();
        let v = to_json(&entry.get(1), &quote(&key), depth + 1)?;
        map.insert(key, v);
    }
    Ok(Value::Object(map))
}

/// A JS number, never a string or boolean coerced to one.
pub(super) fn number(value: &JsValue, what: &str) -> Result<f64, JsError> {
    value.as_f64().ok_or_else(|| JsError::new(&format!("{what} must be a number, got {}", describe(value))))
}

/// A JS number that is a whole number from 0.
pub(super) fn whole(value: &JsValue, what: &str) -> Result<usize, JsError> {
    let n = number(value, what)?;
    if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= u32::MAX as f64 {
        Ok(n as usize)
    } else {
        Err(JsError::new(&format!("{what} must be a whole number from 0, got {}", error::number(n))))
    }
}

/// What a refused JS value is, in a few words.
fn describe(value: &JsValue) -> String {
    match value.as_string() {
        Some(s) => format!("the string \"{}\"", quote(&s)),
        None if value.is_undefined() => "undefined".into(),
        None if value.is_null() => "null".into(),
        None if value.as_bool().is_some() => format!("{}", value.as_bool() == Some(true)),
        None if Array::is_array(value) => "a list".into(),
        None => match value.as_f64() {
            Some(n) => format!("the number {}", error::number(n)),
            None => "an object".into(),
        },
    }
}

/// One of the two typed numbers as JSON for the core: NaN and ±Infinity are refused here (JSON
/// has no such numbers), and a huge string before it is copied into wasm memory.
fn operand_from_js(value: &JsValue, what: &str) -> Result<Value, JsError> {
    if let Some(f) = value.as_f64() {
        return if f.is_finite() {
            to_json(value, what, 0)
        } else {
            Err(JsError::new(&format!("{what} must be a whole number from 0, got {}", error::number(f))))
        };
    }
    if let Some(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if value.is_string() {
        let text = JsString::from(value.clone());
        if text.length() > 64 {
            return Err(JsError::new(&format!(
                "{what}: \"{}…\" is far too long: this model adds numbers of at most {} digits",
                String::from(text.slice(0, 20)),
                MAX_DIGITS
            )));
        }
        return Ok(Value::String(text.into()));
    }
    match () {
        _ if value.is_null() => Ok(Value::Null),
        _ if value.is_undefined() => Err(JsError::new(&format!("{what} must be a number or a string of digits, got undefined"))),
        // the core names what it got; its contents do not matter
        _ if Array::is_array(value) => Ok(Value::Array(Vec::new())),
        _ => Ok(Value::Object(serde_json::Map::new())),
    }
}

/// `{ rows, cols, values: Float64Array }`, row-major.
/// A model's parameters (or their gradients, named `prefix` + name) as `{ name: { rows, cols,
/// values: Float64Array } }`: a bias is one column.
pub(super) fn parameters_to_js(parameters: &[Parameter<'_>], prefix: &str) -> Result<JsValue, JsError> {
    let out = Object::new();
    for p in parameters {
        let o = Object::new();
        set(&o, "rows", &JsValue::from(p.shape[0] as u32))?;
        set(&o, "cols", &JsValue::from(p.shape.get(1).copied().unwrap_or(1) as u32))?;
        set(&o, "values", &typed(p.values))?;
        set(&out, &format!("{prefix}{}", p.name), &o)?;
    }
    Ok(out.into())
}

fn matrix_to_js(a: &Array2<f64>) -> Result<JsValue, JsError> {
    let o = Object::new();
    set(&o, "rows", &JsValue::from(a.nrows() as u32))?;
    set(&o, "cols", &JsValue::from(a.ncols() as u32))?;
    set(&o, "values", &typed(&a.iter().copied().collect::<Vec<f64>>()))?;
    Ok(o.into())
}

/// `{ rows, cols, values }` from JS, `values` a `Float64Array` or a list of JS numbers; the core
/// checks the shape and that every number is finite.
pub(super) fn matrix_from_js(value: &JsValue, what: &str) -> Result<GivenMatrix, JsError> {
    if !value.is_object() {
        return Err(JsError::new(&format!("{what} must be {{ rows, cols, values }}, got {}", describe(value))));
    }
    let field = |key: &str| Reflect::get(value, &JsValue::from_str(key)).map_err(|_| JsError::new(&format!("{what}.{key} cannot be read")));
    let rows = whole(&field("rows")?, &format!("{what}.rows"))?;
    let cols = whole(&field("cols")?, &format!("{what}.cols"))?;
    let values = field("values")?;
    let values = if values.is_instance_of::<Float64Array>() {
        Float64Array::from(values).to_vec()
    } else if Array::is_array(&values) {
        Array::from(&values).iter().enumerate().map(|(i, v)| number(&v, &format!("{what}.values[{i}]"))).collect::<Result<Vec<f64>, JsError>>()?
    } else {
        return Err(JsError::new(&format!("{what}.values must be a Float64Array or a list of numbers, got {}", describe(&values))));
    };
    Ok(GivenMatrix { rows, cols, values })
}

pub(super) fn typed(values: &[f64]) -> Float64Array {
    // A copy into JS memory: the caller may keep it (or transfer it to another thread) safely,
    // which a view into wasm memory would not survive.
    Float64Array::from(values)
}

pub(super) fn set(target: &JsValue, key: &str, value: &JsValue) -> Result<(), JsError> {
    Reflect::set(target, &JsValue::from_str(key), value).map(|_| ()).map_err(|_| JsError::new("internal error building a result"))
}
