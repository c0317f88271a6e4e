//! The student's bptt through the facade: a homework epoch counts as an epoch of training, bad
//! gradients are refused and change nothing, and a problem names the hot columns of U.

use super::*;

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
