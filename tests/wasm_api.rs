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
#[path = "wasm_api/homework.rs"]
mod homework;
#[path = "wasm_api/kernels.rs"]
mod kernels;
#[path = "wasm_api/saved_runs.rs"]
mod saved_runs;
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
fn a_costly_gradient_flow_waits_for_a_pause() {
    let p = Playground::new(js(r#"{"hiddenDim": 256, "nSamples": 2, "testSamples": 1}"#)).unwrap();
    let e = message(p.gradient_flow(JsValue::from(1), JsValue::from(2), JsValue::TRUE).unwrap_err());
    assert_eq!(e, "This model’s gradient flow is drawn when training pauses: computing it live would slow Pause and new sums down.");
    assert_eq!(num(&p.gradient_flow(JsValue::from(1), JsValue::from(2), JsValue::FALSE).unwrap(), "steps"), 14.0);
    assert_eq!(message(p.gradient_flow(JsValue::from(1), JsValue::from(2), JsValue::from(1)).unwrap_err()), "training must be true or false, got the number 1");
    let small = Playground::new(js(r#"{"hiddenDim": 16, "nSamples": 2}"#)).unwrap();
    assert_eq!(num(&small.gradient_flow(JsValue::from(1), JsValue::from(2), JsValue::TRUE).unwrap(), "steps"), 14.0);
}
