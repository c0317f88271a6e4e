//! `open_walk` and `walk_gradients`: the step-through mode's calls, as the worker makes them.

use super::*;

#[wasm_bindgen_test]
fn a_walk_ends_at_the_cores_bptt_and_refuses_bad_input() {
    let mut p = Playground::new(js(r#"{"nSamples": 20, "hiddenDim": 8, "bpttTruncate": 2}"#)).unwrap();
    assert_eq!(message(p.walk_gradients(JsValue::from(0)).unwrap_err()), "no walk is open: open one for a sum first");
    let w = p.open_walk(JsValue::from("9401901"), JsValue::from(8908643)).unwrap();
    let forward = Array::from(&get(&w, "forward"));
    let backward = Array::from(&get(&w, "backward"));
    assert_eq!(forward.length(), 14);
    // each output's point, then its window of at most 3 steps: 14 + (1 + 2 + 12 * 3)
    assert_eq!(backward.length(), 14 + 1 + 2 + 12 * 3);
    let first = backward.get(0);
    assert_eq!(get(&first, "kind").as_string().unwrap(), "output");
    assert_eq!((num(&first, "t"), num(&first, "first")), (13.0, 11.0));
    assert_eq!(Array::from(&get(&first, "deltaO")).length(), 10);
    let step = backward.get(1);
    assert_eq!((get(&step, "kind").as_string().unwrap(), num(&step, "step")), ("step".to_string(), 13.0));
    assert_eq!(Array::from(&get(&forward.get(0), "state")).length(), 8);
    let last = (forward.length() + backward.length() - 1) as f64;
    let g = p.walk_gradients(JsValue::from(last)).unwrap();
    let agreement = get(&g, "agreement");
    assert_eq!(get(&agreement, "bitForBit"), JsValue::TRUE);
    assert_eq!(num(&agreement, "maxDifference"), 0.0);
    assert_eq!(num(&get(&g, "dW"), "rows"), 8.0);
    assert!(get(&p.walk_gradients(JsValue::from(last - 1.0)).unwrap(), "agreement").is_null());
    let zero = p.walk_gradients(JsValue::from(13)).unwrap();
    assert_eq!(Float64Array::from(get(&get(&zero, "dV"), "values")).to_vec(), vec![0.0; 80], "nothing before the backward pass");
    assert_eq!(message(p.walk_gradients(JsValue::from(last + 1.0)).unwrap_err()), format!("a point of this walk must be from 0 to {last}, got {}", last + 1.0));
    assert_eq!(message(p.walk_gradients(JsValue::from(-1)).unwrap_err()), "point must be a whole number from 0, got -1");
    assert_eq!(
        message(p.open_walk(JsValue::from("12a"), JsValue::from(1)).unwrap_err()),
        "the first number: \"12a\" is not a whole number: 'a' is not a digit"
    );
    assert!(!get(&p.walk_gradients(JsValue::from(last)).unwrap(), "agreement").is_null(), "a refused sum keeps the open walk");
}
