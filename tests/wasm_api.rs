//! The `Playground` facade, compiled to wasm and run in Node by wasm-bindgen-test
//! (`cargo test --target wasm32-unknown-unknown --test wasm_api`; `cargo xtask test` runs it).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Float64Array, JsString, Object, Reflect, JSON};
use rnn_playground::wasm::{fresh_seed, settings_schema, Playground};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

#[path = "wasm_api/cells.rs"]
mod cells;
#[path = "wasm_api/walk.rs"]
mod walk;

const GOLDEN: &str = include_str!("fixtures/golden_notebook.json");

fn js(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn num(v: &JsValue, key: &str) -> f64 {
    get(v, key).as_f64().unwrap_or_else(|| panic!("{key} is not a number"))
}

fn message(e: JsError) -> String {
    js_sys::Error::from(JsValue::from(e)).message().into()
}

fn memory_bytes() -> f64 {
    num(&get(&wasm_bindgen::memory(), "buffer"), "byteLength")
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

#[wasm_bindgen_test]
fn notebook_losses() {
    let g: Value = serde_json::from_str(GOLDEN).unwrap();
    let want: Vec<f64> = g["train"]["losses"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    let mut p = Playground::new(js(r#"{"nSamples": 100}"#)).unwrap();
    let mut got = vec![p.loss()];
    for epoch in 1..=4 {
        let r = p.train_epoch().unwrap();
        assert_eq!(num(&r, "epoch"), epoch as f64);
        assert_eq!(num(&r, "examplesSeen"), 100.0 * epoch as f64);
        assert_eq!(num(&r, "learningRate"), 0.005);
        assert!(num(&r, "millis") >= 0.0);
        assert!((0.0..=1.0).contains(&num(&r, "digitAccuracy")));
        got.push(num(&r, "loss"));
    }
    let printed = ["2.302904", "1.509416", "1.375010", "1.335181", "1.294507"];
    for ((g, w), p) in got.iter().zip(&want).zip(printed) {
        assert!(close(*g, *w, 1e-12), "{g} vs {w}");
        assert_eq!(format!("{g:.6}"), p);
    }
}

#[wasm_bindgen_test]
fn predict_gives_the_notebooks_output_matrix() {
    let g: Value = serde_json::from_str(GOLDEN).unwrap();
    let p = Playground::new(JsValue::UNDEFINED).unwrap();
    let r = p.predict(JsValue::from(9401901), JsValue::from_str("8908643")).unwrap();
    let probs: Vec<f64> = Float64Array::from(get(&r, "probabilities")).to_vec();
    let want: Vec<f64> = g["forward_x0"]["o"].as_array().unwrap().iter().flat_map(|row| row.as_array().unwrap().iter().map(|v| v.as_f64().unwrap())).collect();
    assert_eq!(probs.len(), 140);
    for (a, b) in probs.iter().zip(&want) {
        assert!(close(*a, *b, 1e-12), "{a} vs {b}");
    }
    let digits = |k: &str| Array::from(&get(&r, k)).iter().map(|v| v.as_f64().unwrap() as u8).collect::<Vec<_>>();
    assert_eq!(digits("predictedDigits"), [0, 5, 9, 5, 0, 8, 5, 7, 0, 1, 7, 3, 5, 6]);
    assert_eq!(digits("targetDigits"), [0, 0, 0, 0, 0, 0, 1, 8, 3, 1, 0, 5, 4, 4]);
    assert_eq!(digits("inputDigits"), [9, 4, 0, 1, 9, 0, 1, 8, 9, 0, 8, 6, 4, 3]);
    assert_eq!(get(&r, "trueSum").as_string().unwrap(), "18310544");
    assert_eq!(get(&r, "predictedSum").as_string().unwrap(), "5950857017356");
    assert_eq!(get(&r, "correct").as_bool(), Some(false));
    assert_eq!(num(&r, "steps"), 14.0);
}

#[wasm_bindgen_test]
fn hidden_states_shape_and_first_step() {
    let g: Value = serde_json::from_str(GOLDEN).unwrap();
    let p = Playground::new(JsValue::UNDEFINED).unwrap();
    let h = p.hidden_states(JsValue::from_str("9401901"), JsValue::from(8908643)).unwrap();
    assert_eq!((num(&h, "steps"), num(&h, "hiddenDim")), (14.0, 100.0));
    let values = Float64Array::from(get(&h, "values")).to_vec();
    assert_eq!(values.len(), 1400);
    let s0: Vec<f64> = g["forward_x0"]["s_first_step"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    for (a, b) in values[..100].iter().zip(&s0) {
        assert!(close(*a, *b, 1e-12));
    }
}

#[wasm_bindgen_test]
fn view_is_predict_and_hidden_states_in_one() {
    let p = Playground::new(js(r#"{"hiddenDim": 12, "nSamples": 10}"#)).unwrap();
    let (a, b) = (JsValue::from(9401901), JsValue::from_str("8908643"));
    let v = p.view(a.clone(), b.clone()).unwrap();
    let text = |v: &JsValue| JSON::stringify(v).unwrap().as_string().unwrap();
    assert_eq!(text(&get(&v, "prediction")), text(&p.predict(a.clone(), b.clone()).unwrap()));
    let hidden = get(&v, "hidden");
    assert_eq!(Float64Array::from(get(&hidden, "values")).to_vec(), Float64Array::from(get(&p.hidden_states(a, b).unwrap(), "values")).to_vec());
    assert_eq!(Float64Array::from(get(&get(&v, "prediction"), "probabilities")).length(), 140);
    assert_eq!(message(p.view(JsValue::from(1), JsValue::UNDEFINED).err().unwrap()), "the second number must be a number or a string of digits, got undefined");
}

#[wasm_bindgen_test]
fn gradient_flow_and_sigma_are_the_notebooks_numpy_values() {
    let g: Value = serde_json::from_str(include_str!("fixtures/golden_flow_notebook.json")).unwrap();
    let mut p = Playground::new(JsValue::UNDEFINED).unwrap();
    let want = &g["initial"];
    let sigma = p.largest_singular_value();
    assert!((sigma - want["sigma_W"].as_f64().unwrap()).abs() <= 1e-9 * sigma, "σ(W) {sigma}");
    let f = p.gradient_flow(JsValue::from(9401901), JsValue::from_str("8908643"), JsValue::UNDEFINED).unwrap();
    assert_eq!(num(&f, "steps"), 14.0);
    let values = Float64Array::from(get(&f, "values")).to_vec();
    let rows: Vec<f64> =
        want["default_sum"]["flow"].as_array().unwrap().iter().flat_map(|r| r.as_array().unwrap().iter().map(|v| v.as_f64().unwrap())).collect();
    assert_eq!(values.len(), 196);
    for (i, (a, b)) in values.iter().zip(&rows).enumerate() {
        assert!((a - b).abs() <= 1e-10 * b.abs(), "flow[{}][{}]: {a} vs {b}", i / 14, i % 14);
    }
    let decay = Float64Array::from(get(&f, "decay")).to_vec();
    assert!(decay[13] < decay[0] / 1000.0, "the gradient vanishes at the initial weights: {decay:?}");
    assert_eq!(
        message(p.gradient_flow(JsValue::from(1), JsValue::from_str("12345678"), JsValue::UNDEFINED).err().unwrap()),
        message(p.view(JsValue::from(1), JsValue::from_str("12345678")).err().unwrap())
    );
}

#[wasm_bindgen_test]
fn the_settings_schema_is_the_cores_table() {
    let schema = settings_schema().unwrap();
    let settings = Array::from(&get(&schema, "settings"));
    let n_digits = settings.iter().find(|s| get(s, "key").as_string().as_deref() == Some("nDigits")).unwrap();
    assert_eq!((num(&n_digits, "min"), num(&n_digits, "max")), (1.0, 18.0));
    assert_eq!(get(&n_digits, "type").as_string().unwrap(), "integer");
    assert_eq!(get(&n_digits, "newModel").as_bool(), Some(true));
    let values = get(&Array::from(&get(&schema, "presets")).get(0), "values");
    let p = Playground::new(JsValue::UNDEFINED).unwrap();
    let config = p.config().unwrap();
    let keys = Object::keys(&Object::from(config.clone()));
    assert_eq!(keys.length(), Object::keys(&Object::from(values.clone())).length());
    for key in keys.iter() {
        let key = key.as_string().unwrap();
        assert_eq!(JSON::stringify(&get(&values, &key)).unwrap(), JSON::stringify(&get(&config, &key)).unwrap(), "the first preset is the defaults: {key}");
    }
}

#[wasm_bindgen_test]
fn config_defaults_and_errors() {
    let p = Playground::new(js(r#"{"modelSeed": null, "hiddenDim": 8, "nSamples": 10}"#)).unwrap();
    let c = p.config().unwrap();
    assert_eq!(
        JSON::stringify(&c).unwrap().as_string().unwrap(),
        concat!(
            r#"{"batchSize":1,"beta1":0.9,"beta2":0.999,"bpttTruncate":20,"carryRuns":0,"cell":"vanilla","clipNorm":null,"dataSeed":10,"epsilon":1e-8,"evaluateLossAfter":1,"#,
            r#""freshData":false,"gap":0,"halveEvery":40,"hiddenDim":8,"layout":"notebook","learningRate":0.005,"modelSeed":null,"momentum":0.9,"nDigits":7,"nSamples":10,"#,
            r#""optimizer":"sgd","precision":"f64","preset":"notebook","rateRule":"halveOnRise","testSamples":1000}"#
        )
    );
    // the core's whole message, through JS (every message: tests/settings.rs)
    let bad = [
        (r#"{"hiddenDim": 0}"#, "hiddenDim must be a whole number from 1 to 512, got 0"),
        (r#"{"nDigits": 40}"#, "nDigits must be a whole number from 1 to 18, got 40"),
        (r#"{"learningRate": -1}"#, "learningRate must be a finite number above 0, got -1"),
        (r#"{"nSamples": 2.5}"#, "nSamples must be a whole number from 1 to 100000, got 2.5"),
        (r#"{"dataSeed": "ten"}"#, "dataSeed must be a whole number from 0 to 4294967295, got \"ten\""),
        ("[]", "the settings must be an object, got []"),
        ("42", "the settings must be an object, got 42"),
    ];
    for (json, want) in bad {
        let e = message(Playground::new(js(json)).err().unwrap_or_else(|| panic!("{json} accepted")));
        assert_eq!(e, want, "{json}");
    }
    let e = message(Playground::new(js(r#"{"speed": 3}"#)).err().unwrap());
    assert!(e.starts_with("unknown setting \"speed\"; known settings: preset, "), "{e}");
}

#[wasm_bindgen_test]
fn bad_numbers_are_refused_and_change_nothing() {
    let mut p = Playground::new(js(r#"{"nSamples": 5, "hiddenDim": 6}"#)).unwrap();
    let before = p.export_model();
    // each message whole, after "the first number" or "the second number"
    let cases: [(JsValue, &str); 11] = [
        (JsValue::from(-5), " must be a whole number from 0, got -5"),
        (JsValue::from(1.5), " must be a whole number from 0, got 1.5"),
        (JsValue::from(f64::NAN), " must be a whole number from 0, got NaN"),
        (JsValue::from(f64::INFINITY), " must be a whole number from 0, got Infinity"),
        // a huge number as JS writes it, never its 301 digits
        (JsValue::from(-1e300), " must be a whole number from 0, got -1e+300"),
        (JsValue::from(0.5e-300), " must be a whole number from 0, got 5e-301"),
        (JsValue::from_str("12a"), ": \"12a\" is not a whole number: 'a' is not a digit"),
        (JsValue::from_str(""), ": enter a number"),
        (JsValue::from_str("12345678"), ": \"12345678\" has 8 digits; this model adds numbers of at most 7"),
        (JsValue::from(123456789), ": \"123456789\" has 9 digits; this model adds numbers of at most 7"),
        (JsValue::TRUE, " must be a number or a string of digits, got true"),
    ];
    for (value, want) in cases {
        let e = message(p.predict(value.clone(), JsValue::from(1)).err().unwrap());
        assert_eq!(e, format!("the first number{want}"), "{value:?}");
        let e = message(p.hidden_states(JsValue::from(1), value.clone()).err().unwrap());
        assert_eq!(e, format!("the second number{want}"), "{value:?}");
    }
    assert_eq!(p.export_model(), before);
}

#[wasm_bindgen_test]
fn learning_rate_changes_live_and_bad_ones_are_refused() {
    let mut p = Playground::new(js(r#"{"nSamples": 5, "hiddenDim": 6}"#)).unwrap();
    let before = p.export_model();
    for (bad, shown) in [(0.0, "0"), (-0.5, "-0.5"), (f64::NAN, "NaN"), (f64::INFINITY, "Infinity"), (-1e300, "-1e+300")] {
        assert_eq!(message(p.set_learning_rate(JsValue::from(bad)).err().unwrap()), format!("learningRate must be a finite number above 0, got {shown}"));
    }
    // only a JS number: no coercion from strings, booleans or lists
    for (bad, want) in [(JsValue::from_str("0.5"), "the string \"0.5\""), (JsValue::TRUE, "true"), (js("[0.5]"), "a list"), (JsValue::UNDEFINED, "undefined")] {
        let e = message(p.set_learning_rate(bad).err().unwrap());
        assert_eq!(e, format!("learningRate must be a number, got {want}"));
    }
    assert_eq!(p.export_model(), before, "refused rates change nothing");
    p.set_learning_rate(JsValue::from(100.0)).unwrap(); // any finite positive rate is accepted
    p.set_learning_rate(JsValue::from(0.02)).unwrap();
    assert_eq!(num(&p.train_epoch().unwrap(), "learningRate"), 0.02);
}

#[wasm_bindgen_test]
fn export_import_round_trip_continues_identically() {
    let mut a = Playground::new(js(r#"{"nSamples": 20, "hiddenDim": 12, "bpttTruncate": 3}"#)).unwrap();
    a.train_epoch().unwrap();
    let mut b = Playground::import_model(JsValue::from_str(&a.export_model())).unwrap();
    assert_eq!(b.export_model(), a.export_model());
    let ra = JSON::stringify(&a.train_epoch().unwrap()).unwrap().as_string().unwrap();
    let rb = JSON::stringify(&b.train_epoch().unwrap()).unwrap().as_string().unwrap();
    let strip = |s: &str| s.split(",\"millis\"").next().unwrap().to_string();
    assert_eq!(strip(&ra), strip(&rb));
    assert_eq!(a.loss(), b.loss());
    assert_eq!(JSON::stringify(&b.history_since(JsValue::NULL, JsValue::from(1000)).unwrap()).unwrap().as_string().unwrap().matches("\"epoch\"").count(), 3);
}

#[wasm_bindgen_test]
fn damaged_saved_models_are_refused() {
    let mut a = Playground::new(js(r#"{"nSamples": 5, "hiddenDim": 4}"#)).unwrap();
    let good = a.export_model();
    let cases = [
        ("not json".to_string(), "the JSON is broken"),
        (good[..good.len() - 10].to_string(), "the JSON is broken"),
        ("{\"hello\": 1}".to_string(), "not a saved rnn-playground model"),
        (good.replace("\"version\":2", "\"version\":7"), "format version 7"),
        (good.replace("\"hiddenDim\":4", "\"hiddenDim\":3"), "but the settings need"),
        (good.replace("\"nDigits\":7", "\"nDigits\":0"), "nDigits must be a whole number"),
        // JSON.parse reads 1e999 as Infinity, which no weight may be
        (good.replacen("\"data\":[", "\"data\":[1e999,", 1), "must be a finite number"),
        (format!("{}{}", "[".repeat(20), "]".repeat(20)), "nested too deeply"),
    ];
    for (text, want) in cases {
        let e = message(Playground::import_model(JsValue::from_str(&text)).err().unwrap_or_else(|| panic!("accepted: {want}")));
        assert!(e.contains(want), "{want}: {e}");
    }
    // too large: refused before it is copied into wasm memory, which stays as it was
    let pages = memory_bytes();
    let huge = JsValue::from(JsString::from("x").repeat(11 * 1024 * 1024));
    assert_eq!(message(Playground::import_model(huge).err().unwrap()), "this file is too large: a saved model is at most 10 MB");
    assert_eq!(memory_bytes(), pages);
    assert_eq!(message(Playground::import_model(JsValue::from(5)).err().unwrap()), "a saved model must be given as a string of JSON");
}

#[wasm_bindgen_test]
fn gradient_check_passes_and_checks_its_options() {
    let p = Playground::new(js(r#"{"nSamples": 2, "hiddenDim": 10, "bpttTruncate": 1000}"#)).unwrap();
    let rows = Array::from(&p.gradient_check(JsValue::UNDEFINED).unwrap());
    assert_eq!(rows.length(), 3);
    for (row, (name, size)) in rows.iter().zip([("U", 100.0), ("V", 100.0), ("W", 100.0)]) {
        assert_eq!(get(&row, "parameter").as_string().unwrap(), name);
        assert_eq!(num(&row, "size"), size);
        assert_eq!(get(&row, "passed").as_bool(), Some(true));
        assert!(num(&row, "maxError") < 0.01);
        assert!(num(&row, "maxRelativeError") < 0.01);
        // the worst entry: its index, backprop's and the central difference's values, and the
        // error as their difference over the matrix's scale
        let index = Array::from(&get(&row, "worstIndex"));
        assert_eq!(index.length(), 2);
        assert!(index.iter().all(|i| i.as_f64().is_some_and(|i| (0.0..10.0).contains(&i))));
        let (a, n, scale) = (num(&row, "worstAnalytic"), num(&row, "worstNumeric"), num(&row, "scale"));
        assert!(scale >= a.abs().max(n.abs()) && scale > 0.0);
        assert!(((a - n).abs() / scale - num(&row, "maxError")).abs() < 1e-12);
    }
    // truncation 2 of the 14 steps: U and W fail, V passes
    let cut = Array::from(&p.gradient_check(js(r#"{"bpttTruncate": 2}"#)).unwrap());
    let passed: Vec<_> = cut.iter().map(|r| get(&r, "passed").as_bool().unwrap()).collect();
    assert_eq!(passed, [false, true, false]);
    let sampled = Array::from(&p.gradient_check(js(r#"{"maxEntries": 7}"#)).unwrap());
    assert!(num(&sampled.get(2), "checked") <= 7.0);
    for (opts, want) in [
        (r#"{"h": 0}"#, "h must be"),
        (r#"{"example": 9}"#, "example must be from 0 to 1"),
        (r#"{"bogus": 1}"#, "unknown field"),
        (r#"{"maxEntries": 0}"#, "maxEntries must be a whole number from 1"),
    ] {
        let e = message(p.gradient_check(js(opts)).err().unwrap());
        assert!(e.contains(want), "{opts}: {e}");
    }
    // non-finite numbers are refused, never read as "use the default"
    for (key, value, want) in
        [("h", f64::INFINITY, "h must be a finite number, got Infinity"), ("threshold", f64::NAN, "threshold must be a finite number, got NaN")]
    {
        let o = Object::new();
        Reflect::set(&o, &key.into(), &value.into()).unwrap();
        assert_eq!(message(p.gradient_check(o.into()).err().unwrap()), want);
    }
}

#[wasm_bindgen_test]
fn fresh_seeds_are_32_bit() {
    let seeds: Vec<u32> = (0..4).map(|_| fresh_seed().unwrap()).collect();
    assert!(seeds.windows(2).any(|w| w[0] != w[1]), "four equal random seeds: {seeds:?}");
}

#[wasm_bindgen_test]
fn settings_are_taken_strictly() {
    let with = |key: &str, value: JsValue| {
        let o = Object::new();
        Reflect::set(&o, &"nSamples".into(), &5.into()).unwrap();
        Reflect::set(&o, &key.into(), &value).unwrap();
        Playground::new(o.into()).err().map(message)
    };
    assert_eq!(with("modelSeed", f64::NAN.into()).unwrap(), "modelSeed must be a finite number, got NaN");
    assert_eq!(with("modelSeed", f64::INFINITY.into()).unwrap(), "modelSeed must be a finite number, got Infinity");
    assert_eq!(with("modelSeed", f64::NEG_INFINITY.into()).unwrap(), "modelSeed must be a finite number, got -Infinity");
    assert_eq!(with("modelSeed", JsValue::UNDEFINED).unwrap(), "modelSeed is undefined: leave it out, or give it a value");
    assert!(with("modelSeed", JsValue::NULL).is_none(), "null is the documented 'no re-seed'");
    assert_eq!(with("hiddenDim", JsValue::from_str("8")).unwrap(), "hiddenDim must be a whole number from 1 to 512, got \"8\"");
    let long = JsString::from("k").repeat(100_000);
    let e = with(&String::from(long), 1.into()).unwrap();
    assert!(e.len() < 400 && e.starts_with("unknown setting \"kkkkkkkkkk"), "{} bytes", e.len());
}

#[wasm_bindgen_test]
fn training_in_slices_and_divergence_undone() {
    let mut p = Playground::new(js(r#"{"nSamples": 100, "hiddenDim": 32}"#)).unwrap();
    assert_eq!(get(&p.progress().unwrap(), "phase").as_string().unwrap(), "starting");
    let mut ready = false;
    let mut epochs = 0.0;
    while epochs < 2.0 {
        let r = p.train_for(JsValue::from(5.0), JsValue::NULL).unwrap();
        ready |= get(&r, "ready").as_bool().unwrap();
        epochs += num(&r, "epochs");
        assert!(get(&r, "diverged").is_null());
    }
    assert!(ready);
    // a target epoch stops training there, however long the budget
    let at = num(&p.state().unwrap(), "epoch");
    let r = p.train_for(JsValue::from(10_000.0), JsValue::from(at + 1.0)).unwrap();
    assert_eq!(num(&r, "epochs"), 1.0);
    assert_eq!(num(&p.train_for(JsValue::from(10_000.0), JsValue::from(at + 1.0)).unwrap(), "epochs"), 0.0);
    let before = p.export_model();
    let epoch = num(&p.state().unwrap(), "epoch");
    // the issue's case: lr 5 at H 32 used to report Infinity and save an unreadable file
    p.set_learning_rate(JsValue::from(5.0)).unwrap();
    let e = message(p.train_epoch().err().unwrap());
    assert!(e.starts_with(&format!("Epoch {} diverged at learning rate 5: ", epoch + 1.0)) && e.contains("The epoch was undone"), "{e}");
    let r = p.train_for(JsValue::from(50.0), JsValue::NULL).unwrap();
    assert!(get(&r, "diverged").as_string().unwrap().contains("diverged at learning rate 5"));
    assert_eq!(num(&r, "epochs"), 0.0);
    assert_eq!(num(&p.state().unwrap(), "epoch"), epoch);
    p.set_learning_rate(JsValue::from(0.005)).unwrap();
    assert_eq!(p.export_model(), before, "the failed epochs left nothing behind");
    let back = Playground::import_model(JsValue::from_str(&p.export_model()));
    assert!(back.is_ok());
    for (bad, want) in [
        (JsValue::from_str("5"), "millis must be a number, got the string \"5\""),
        (JsValue::from(0.0), "millis must be above 0 and at most 60000, got 0"),
        (JsValue::from(f64::NAN), "millis must be above 0 and at most 60000, got NaN"),
        (JsValue::from(1e300), "millis must be above 0 and at most 60000, got 1e+300"),
    ] {
        assert_eq!(message(p.train_for(bad, JsValue::NULL).err().unwrap()), want);
    }
}

/// The tiny model that trained 390,000 epochs a second and ran wasm out of memory after 4M.
/// 300,000 epochs thin the history over a hundred times; unbounded, it would add ~17 MB here.
/// Wasm memory never shrinks and the tests share one instance, so this test measures its own
/// growth: an earlier test (a costly gradient flow, say) may have left the memory larger.
#[wasm_bindgen_test]
fn long_runs_keep_memory_and_file_size_flat() {
    let start = memory_bytes();
    let mut p = Playground::new(js(r#"{"nSamples": 1, "hiddenDim": 1, "nDigits": 1}"#)).unwrap();
    let mut sizes = Vec::new();
    let mut memory = Vec::new();
    let mut done = 0.0;
    while done < 300_000.0 {
        done += num(&p.train_for(JsValue::from(100.0), JsValue::NULL).unwrap(), "epochs");
        if sizes.len() < (done / 30_000.0) as usize {
            sizes.push(p.export_model().len());
            memory.push(memory_bytes());
        }
    }
    assert!(sizes.iter().all(|&s| s < 1_000_000), "{sizes:?}");
    // bounded: the history fills up to its limit early; after that only the export string can
    // still cross a power of two as its numbers get longer (a one-off step of a few pages).
    assert!(memory[9] - memory[4] <= 1024.0 * 1024.0, "wasm memory grew: {memory:?}");
    assert!(memory[9] - start <= 6.0 * 1024.0 * 1024.0, "from {start}: {memory:?}");
    let since = Array::from(&p.history_since(JsValue::from(10.0), JsValue::from(50.0)).unwrap());
    assert!(since.length() <= 50 + 1100, "{}", since.length());
}

fn matrix(rows: usize, cols: usize, values: &[f64]) -> JsValue {
    let o = Object::new();
    Reflect::set(&o, &"rows".into(), &JsValue::from(rows as u32)).unwrap();
    Reflect::set(&o, &"cols".into(), &JsValue::from(cols as u32)).unwrap();
    Reflect::set(&o, &"values".into(), &Float64Array::from(values)).unwrap();
    o.into()
}

#[wasm_bindgen_test]
fn homework_epoch_counts_as_an_epoch_of_training() {
    let config = r#"{"nSamples": 5, "hiddenDim": 4, "nDigits": 2, "bpttTruncate": 1}"#;
    let mut native = Playground::new(js(config)).unwrap();
    let mut p = Playground::new(js(config)).unwrap();
    assert_eq!(message(p.homework_example().unwrap_err()), "the model is still being prepared: one moment");
    p.report().unwrap(); // the starting loss
    let want = native.train_epoch().unwrap();
    let mut last = JsValue::NULL;
    for i in 0..5 {
        let next = p.homework_example().unwrap();
        assert_eq!((num(&next, "example"), num(&next, "total"), num(&next, "bpttTruncate")), (i as f64, 5.0, 1.0));
        assert_eq!(num(&get(&next, "W"), "rows"), 4.0);
        let g = p.gradients(JsValue::from(i)).unwrap();
        assert_eq!(Array::from(&get(&g, "x")).length(), 4);
        last = p.sgd_step_with(JsValue::from(i), get(&g, "dU"), get(&g, "dV"), get(&g, "dW")).unwrap();
        // gradients() reads the run's weights, which stay at the epoch's start until it ends: the
        // counting is compared here, the bits natively (src/homework.rs)
    }
    let epoch = get(&last, "epoch");
    assert_eq!((num(&last, "done"), num(&last, "total")), (5.0, 5.0));
    assert_eq!((num(&epoch, "epoch"), num(&epoch, "examplesSeen")), (1.0, 5.0));
    assert_eq!(num(&want, "epoch"), 1.0);
    assert_eq!(p.epoch(), 1.0);
    assert_eq!(Array::from(&p.history_since(JsValue::NULL, JsValue::from(1000)).unwrap()).length(), 2, "a loss evaluated at the epoch's end");
}

#[wasm_bindgen_test]
fn homework_refuses_bad_gradients_and_changes_nothing() {
    let mut p = Playground::new(js(r#"{"nSamples": 5, "hiddenDim": 4, "nDigits": 2}"#)).unwrap();
    p.report().unwrap();
    let before = p.export_model();
    let g = p.gradients(JsValue::from(0)).unwrap();
    let (du, dv) = (get(&g, "dU"), get(&g, "dV"));
    let cases: Vec<(JsValue, JsValue, &str)> = vec![
        (JsValue::from(0), matrix(3, 4, &[0.0; 12]), "dLdW must be 4x4, got 3x4"),
        (JsValue::from(0), matrix(4, 4, &[0.0; 15]), "dLdW must hold 16 numbers (4x4), got 15"),
        (JsValue::from(0), matrix(4, 4, &[f64::NAN; 16]), "dLdW[0][0] is NaN, not a finite number"),
        (JsValue::from(0), JsValue::from("dW"), "dLdW must be { rows, cols, values }, got the string \"dW\""),
        (JsValue::from(3), get(&g, "dW"), "example 3 is not the next one of this epoch: train on example 0 next"),
        (JsValue::from(9), get(&g, "dW"), "example must be from 0 to 4, got 9"),
        (JsValue::from("0"), get(&g, "dW"), "example must be a number, got the string \"0\""),
    ];
    for (example, dw, want) in cases {
        assert_eq!(message(p.sgd_step_with(example, du.clone(), dv.clone(), dw).unwrap_err()), want);
    }
    let list = js(r#"{"rows": 4, "cols": 4, "values": [0,0,0,0, 0,0,0,0, 0,0,0,0, 0,0,0,"x"]}"#);
    assert_eq!(message(p.sgd_step_with(JsValue::from(0), du.clone(), dv.clone(), list).unwrap_err()), "dLdW.values[15] must be a number, got the string \"x\"");
    assert_eq!(message(p.gradients(JsValue::from(5)).unwrap_err()), "example must be from 0 to 4, got 5");
    assert_eq!(p.export_model(), before);
    assert_eq!(num(&p.homework_example().unwrap(), "example"), 0.0);
}

/// `mul` (C = A B + beta C) gives the bits of the naive sums in T, for blocks of 4 x 4 (4 x 8 in
/// f32), narrow blocks (2 or 4 columns), rows and columns left over, A transposed or rows of a
/// larger matrix, and beta 0 and 1.
fn product_gives_the_naive_bits<T>(mul: fn(ndarray::ArrayView2<'_, T>, ndarray::ArrayView2<'_, T>, T, ndarray::ArrayViewMut2<'_, T>), of: fn(f64) -> T)
where
    T: ndarray::LinalgScalar + PartialEq + std::fmt::Debug,
{
    use ndarray::Array2;
    for (m, k, n) in
        [(32, 100, 100), (7, 5, 9), (1, 3, 2), (33, 10, 100), (3, 1, 5), (3, 1, 13), (5, 6, 14), (1, 100, 400), (1, 400, 100), (1, 13, 39), (1, 7, 1)]
    {
        let a = Array2::from_shape_fn((m, k), |(i, j)| of(((i * k + j) as f64 * 0.37).sin()));
        let at = a.t().as_standard_layout().into_owned();
        let mut larger = Array2::from_elem((m + 2, k), of(0.0));
        larger.slice_mut(ndarray::s![1..m + 1, ..]).assign(&a);
        let b = Array2::from_shape_fn((k, n), |(i, j)| of(((i * n + j) as f64 * 0.11).cos()));
        let start = Array2::from_shape_fn((m, n), |(i, j)| of((i + 2 * j) as f64));
        for beta in [of(0.0), of(1.0)] {
            let want = Array2::from_shape_fn((m, n), |(i, j)| (0..k).fold(T::zero(), |s, kk| s + a[[i, kk]] * b[[kk, j]]) + beta * start[[i, j]]);
            for view in [a.view(), at.t(), larger.slice(ndarray::s![1..m + 1, ..])] {
                let mut c = start.clone();
                mul(view, b.view(), beta, c.view_mut());
                assert_eq!(c, want, "{m}x{k} times {k}x{n}, beta {beta:?}");
            }
        }
    }
}

/// The batch products' simd128 kernels (wasm only), in double and in single precision
/// (`precision` f32).
#[wasm_bindgen_test]
fn the_batch_matrix_products_give_the_naive_bits_in_wasm() {
    product_gives_the_naive_bits(rnn_playground::kernels::mat_mul, |x| x);
    product_gives_the_naive_bits(rnn_playground::kernels::mat_mul_f32, |x| x as f32);
}

/// Mini-batches in single precision train the same model as in double, to single precision's
/// accuracy; the epochs' evaluations are in single precision too, `loss()` in double.
#[wasm_bindgen_test]
fn single_precision_batches_train_as_double_ones_do() {
    let settings = |precision: &str| {
        js(&format!(r#"{{"hiddenDim": 16, "nSamples": 64, "batchSize": 8, "optimizer": "adam", "learningRate": 0.01, "precision": "{precision}"}}"#))
    };
    let mut double = Playground::new(settings("f64")).unwrap();
    let mut single = Playground::new(settings("f32")).unwrap();
    assert_eq!(double.loss(), single.loss(), "the same starting model");
    for _ in 0..3 {
        let (a, b) = (num(&double.train_epoch().unwrap(), "loss"), num(&single.train_epoch().unwrap(), "loss"));
        assert!(close(b, a, 1e-4), "f32 {b} vs f64 {a}");
        assert_ne!(a, b, "the f32 run computed in single precision");
    }
    assert!(double.loss() < 2.2, "it learned: {}", double.loss());
    let e = message(Playground::new(js(r#"{"precision": "f16"}"#)).err().unwrap());
    assert_eq!(e, "unknown precision \"f16\"; known: f64, f32");
}

#[wasm_bindgen_test]
fn the_layout_is_described_by_the_core() {
    let p = Playground::new(js(r#"{"preset": "carry", "nDigits": 3}"#)).unwrap();
    let l = p.layout().unwrap();
    assert_eq!(get(&l, "name").as_string().unwrap(), "aligned");
    let labels: Vec<String> = Array::from(&get(&l, "stepLabels")).iter().map(|v| v.as_string().unwrap()).collect();
    assert_eq!(labels, ["a₀b₀", "a₁b₁", "a₂b₂", "carry"]);
    assert_eq!(Array::from(&get(&l, "columnLabels")).get(13).as_string().unwrap(), "b=3");
    assert!(get(&l, "floor").is_null(), "the aligned layout has no floor short of perfect");
    assert_eq!(get(&l, "adds").as_bool(), Some(true));
    assert!(get(&l, "input").as_string().unwrap().contains("a_i and b_i"));
    let v = p.predict(JsValue::from(123), JsValue::from(989)).unwrap();
    let inputs: Vec<String> = Array::from(&get(&v, "inputLabels")).iter().map(|v| v.as_string().unwrap()).collect();
    assert_eq!(inputs, ["3+9", "2+8", "1+9", "0+0"]);
    let n = Playground::new(JsValue::UNDEFINED).unwrap().layout().unwrap();
    assert_eq!(num(&get(&n, "floor"), "loss"), 0.2494);
    assert_eq!(get(&n, "adds").as_bool(), Some(false));
    assert_eq!(Array::from(&get(&n, "places")).get(0).as_f64(), Some(13.0));
    // the delayed layout with a blank step between a and b: its input says so
    let m = Playground::new(js(r#"{"preset": "memory", "nDigits": 2, "gap": 1, "nSamples": 32, "hiddenDim": 4}"#)).unwrap();
    let l = m.layout().unwrap();
    let kinds: Vec<String> = Array::from(&get(&l, "stepKinds")).iter().map(|v| v.as_string().unwrap()).collect();
    assert_eq!(kinds, ["a", "a", "blank", "b", "b", "pad"]);
    assert_eq!(num(&l, "gap"), 1.0);
    let v = m.predict(JsValue::from(12), JsValue::from(89)).unwrap();
    let inputs: Vec<String> = Array::from(&get(&v, "inputLabels")).iter().map(|v| v.as_string().unwrap()).collect();
    assert_eq!(inputs, ["2", "1", "blank", "9", "8", "0"]);
}

#[wasm_bindgen_test]
fn homework_problems_name_the_hot_columns_of_u() {
    let mut p = Playground::new(js(r#"{"preset": "carry", "nDigits": 2, "nSamples": 4, "hiddenDim": 3}"#)).unwrap();
    p.train_for(JsValue::from(10_000), JsValue::NULL).unwrap();
    let g = p.gradients(JsValue::from(0)).unwrap();
    let x = Array::from(&get(&g, "x"));
    let hot = Array::from(&get(&g, "hot"));
    assert_eq!(hot.length(), x.length());
    for t in 0..x.length() {
        let symbol = x.get(t).as_f64().unwrap() as u32;
        let cols: Vec<f64> = Array::from(&hot.get(t)).iter().map(|v| v.as_f64().unwrap()).collect();
        assert_eq!(cols, [(symbol / 10) as f64, (10 + symbol % 10) as f64], "step {t} reads symbol {symbol}");
    }
    assert_eq!(Array::from(&get(&p.homework_example().unwrap(), "hot")).length(), x.length());
}

#[wasm_bindgen_test]
fn a_costly_gradient_flow_waits_for_a_pause() {
    let p = Playground::new(js(r#"{"hiddenDim": 256, "nSamples": 2, "testSamples": 1}"#)).unwrap();
    let e = message(p.gradient_flow(JsValue::from(1), JsValue::from(2), JsValue::TRUE).unwrap_err());
    assert_eq!(e, "This model’s gradient flow is drawn when training pauses: computing it live would slow Pause and new sums down.");
    assert_eq!(num(&p.gradient_flow(JsValue::from(1), JsValue::from(2), JsValue::FALSE).unwrap(), "steps"), 14.0);
    assert_eq!(message(p.gradient_flow(JsValue::from(1), JsValue::from(2), JsValue::from(1)).unwrap_err()), "training must be true or false, got the number 1");
    let small = Playground::new(js(r#"{"hiddenDim": 16, "nSamples": 2}"#)).unwrap();
    assert_eq!(num(&small.gradient_flow(JsValue::from(1), JsValue::from(2), JsValue::TRUE).unwrap(), "steps"), 14.0);
}

#[wasm_bindgen_test]
fn counters_past_four_billion_examples_load_back_and_go_on() {
    // 100,000 sums an epoch pass 2^32 examples at epoch 42,950: a run saved at epoch 50,000
    let mut p = Playground::new(js(r#"{"nSamples": 100000, "hiddenDim": 2, "nDigits": 1, "testSamples": 1}"#)).unwrap();
    let mut saved: Value = serde_json::from_str(&p.export_model()).unwrap();
    let training = &mut saved["training"];
    training["epoch"] = 50_000.into();
    training["examplesSeen"] = 5_000_000_000u64.into();
    for (column, values) in training["history"].as_object_mut().unwrap() {
        let first = values[0].clone();
        let last = match column.as_str() {
            "epoch" => 50_000.into(),
            "examplesSeen" => 5_000_000_000u64.into(),
            _ => first.clone(),
        };
        *values = Value::Array(vec![first, last]);
    }
    let mut q = Playground::import_model(JsValue::from_str(&saved.to_string())).unwrap();
    assert_eq!(num(&q.report().unwrap(), "examplesSeen"), 5e9);
    let again: Value = serde_json::from_str(&q.export_model()).unwrap();
    assert_eq!(again["training"]["examplesSeen"], 5_000_000_000u64);
    let next = q.train_epoch().unwrap();
    assert_eq!((num(&next, "epoch"), num(&next, "examplesSeen")), (50_001.0, 5_000_100_000.0));
    assert_eq!(Playground::import_model(JsValue::from_str(&q.export_model())).unwrap().epoch(), 50_001.0);
}

/// Pause sets part of an epoch aside: the paused model predicts what its saved run (the link,
/// a reload) predicts, and training on redoes the epoch. Before, the paused page showed the
/// part-trained weights' prediction while the saved run held the last whole epoch's.
#[wasm_bindgen_test]
fn a_rewound_run_predicts_what_its_saved_run_predicts() {
    let mut p = Playground::new(js(r#"{"nSamples": 200, "hiddenDim": 32}"#)).unwrap();
    p.train_epoch().unwrap();
    let whole = p.export_model();
    let probabilities =
        |p: &Playground| Float64Array::from(get(&p.predict(JsValue::from(1234567.0), JsValue::from(7654321.0)).unwrap(), "probabilities")).to_vec();
    let saved = Playground::import_model(JsValue::from_str(&whole)).unwrap();
    // part of epoch 2: the weights moved, the saved run did not
    while get(&p.progress().unwrap(), "done").as_f64().unwrap() < 50.0 {
        p.train_for(JsValue::from(0.2), JsValue::NULL).unwrap();
    }
    assert_eq!(num(&p.progress().unwrap(), "total"), 200.0);
    assert_ne!(probabilities(&p), probabilities(&saved));
    assert_eq!(p.export_model(), whole);
    assert!(p.rewind());
    assert!(!p.rewind());
    assert_eq!(probabilities(&p), probabilities(&saved));
    assert_eq!(num(&p.progress().unwrap(), "done"), 0.0);
    // the same epoch again, whichever copy trains it
    let mut saved = saved;
    p.train_epoch().unwrap();
    saved.train_epoch().unwrap();
    assert_eq!(p.export_model(), saved.export_model());
}
