//! Saved runs through the facade: a round trip continues bit for bit, damaged files are refused,
//! counters past 2^32 load back, a paused run predicts what its saved run does, and long runs
//! keep memory and file size flat.

use super::*;

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
