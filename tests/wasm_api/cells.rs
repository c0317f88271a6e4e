//! The facade for every cell: `weights()` and `gradients()` name each parameter, `predict`,
//! `hidden_states` and `gradient_flow` work, the gradient check passes, a saved gated run loads
//! back, and an unknown cell or a mismatched file is refused with a reason.

use super::*;

fn names(v: &JsValue) -> Vec<String> {
    Object::keys(&Object::from(v.clone())).iter().map(|k| k.as_string().unwrap()).collect()
}

#[wasm_bindgen_test]
fn every_cell_names_its_parameters_and_answers_every_view() {
    for (cell, rows) in [("gru", 24.0), ("lstm", 32.0)] {
        let settings = format!(r#"{{"cell": "{cell}", "nSamples": 10, "hiddenDim": 8, "nDigits": 3, "testSamples": 10, "bpttTruncate": 2}}"#);
        let mut p = Playground::new(js(&settings)).unwrap();
        let w = p.weights().unwrap();
        assert_eq!(names(&w), ["weight_ih", "weight_hh", "bias_ih", "bias_hh", "V"]);
        assert_eq!((num(&get(&w, "weight_ih"), "rows"), num(&get(&w, "weight_ih"), "cols")), (rows, 10.0));
        assert_eq!((num(&get(&w, "weight_hh"), "rows"), num(&get(&w, "weight_hh"), "cols")), (rows, 8.0));
        assert_eq!((num(&get(&w, "bias_hh"), "rows"), num(&get(&w, "bias_hh"), "cols")), (rows, 1.0));
        let g = p.gradients(JsValue::from(2)).unwrap();
        for name in ["dweight_ih", "dweight_hh", "dbias_ih", "dbias_hh", "dV"] {
            let values = Float64Array::from(get(&get(&g, name), "values")).to_vec();
            assert!(values.iter().all(|v| v.is_finite()) && values.iter().any(|&v| v != 0.0), "{cell} {name}");
        }
        assert_eq!(num(&g, "bpttTruncate"), 2.0);
        let prediction = p.predict(JsValue::from(123), JsValue::from(989)).unwrap();
        assert_eq!(get(&prediction, "trueSum").as_string().unwrap(), "1112");
        let hidden = p.hidden_states(JsValue::from(123), JsValue::from(989)).unwrap();
        assert_eq!(Float64Array::from(get(&hidden, "values")).length(), 6 * 8);
        // an LSTM's h_t = o ∘ tanh(c_t) and a GRU's mix of tanh and the previous state stay in ±1
        assert!(Float64Array::from(get(&hidden, "values")).to_vec().iter().all(|v| v.abs() < 1.0));
        let flow = p.gradient_flow(JsValue::from(123), JsValue::from(989), JsValue::UNDEFINED).unwrap();
        assert_eq!(Float64Array::from(get(&flow, "values")).length(), 36);
        assert!(p.largest_singular_value().is_nan(), "σ(W) is the vanilla cell's");
        let rows = Array::from(&p.gradient_check(js(r#"{"bpttTruncate": 20}"#)).unwrap());
        assert_eq!(rows.length(), 5);
        for r in rows.iter() {
            assert_eq!(get(&r, "passed"), JsValue::TRUE, "{cell}: {}", JSON::stringify(&r).unwrap());
        }
        p.train_for(JsValue::from(2_000), JsValue::from(2)).unwrap();
        let saved = p.export_model();
        let mut back = Playground::import_model(JsValue::from_str(&saved)).unwrap();
        assert_eq!(back.export_model(), saved);
        let homework = message(p.homework_example().unwrap_err());
        assert_eq!(homework, format!("homework is the notebook's bptt for its vanilla RNN; this run's cell is {cell}: set the cell to vanilla to do it"));
    }
}

#[wasm_bindgen_test]
fn unknown_cells_and_mismatched_files_are_refused() {
    assert_eq!(message(Playground::new(js(r#"{"cell": "transformer"}"#)).err().unwrap()), "unknown cell \"transformer\"; known: vanilla, gru, lstm");
    let mut p = Playground::new(js(r#"{"cell": "gru", "nSamples": 4, "hiddenDim": 3, "nDigits": 2, "testSamples": 4}"#)).unwrap();
    p.train_for(JsValue::from(2_000), JsValue::from(1)).unwrap();
    let file = p.export_model().replace(r#""cell":"gru""#, r#""cell":"lstm""#);
    assert_eq!(message(Playground::import_model(JsValue::from_str(&file)).err().unwrap()), "weight_ih is 9x10 but the settings need 12x10");
}
