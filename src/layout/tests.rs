use super::*;
use crate::data::NO_TARGET;

#[test]
fn notebook_layout_encodes_the_sum() {
    let (x, y) = Layout::Notebook.digits(7).encode(9401901, 8908643).unwrap();
    assert_eq!(x, [9, 4, 0, 1, 9, 0, 1, 8, 9, 0, 8, 6, 4, 3]);
    assert_eq!(y, [0, 0, 0, 0, 0, 0, 1, 8, 3, 1, 0, 5, 4, 4]);
    assert_eq!(Layout::Notebook.digits(7).decode_sum(&y), 18310544);
}

#[test]
fn aligned_layout_reads_both_digits_least_significant_first() {
    let (x, y) = Layout::Aligned.digits(7).encode(9401901, 8908643).unwrap();
    assert_eq!(x, [13, 4, 96, 18, 0, 49, 98, 0]);
    assert_eq!(y, [4, 4, 5, 0, 1, 3, 8, 1]);
    assert_eq!(Layout::Aligned.digits(7).decode_sum(&y), 18310544);
    assert_eq!(Layout::Aligned.digits(7).encode(9999999, 1).unwrap().1, [0, 0, 0, 0, 0, 0, 0, 1]);
    assert_eq!(hot_columns(49, 20).collect::<Vec<_>>(), [4, 19]);
    assert_eq!(hot_columns(7, 10).collect::<Vec<_>>(), [7]);
    assert_eq!((Layout::Aligned.digits(7).place(7), Layout::Notebook.digits(7).place(13)), (Some(7), Some(0)));
}

#[test]
fn delayed_layout_reads_a_then_b_and_outputs_while_reading_b() {
    let (x, y) = Layout::Delayed.digits(7).encode(9401901, 8908643).unwrap();
    assert_eq!(x, [1, 0, 9, 1, 0, 4, 9, 3, 4, 6, 8, 0, 9, 8, 0]);
    let mut want = vec![NO_TARGET; 7];
    want.extend([4, 4, 5, 0, 1, 3, 8, 1]);
    assert_eq!(y, want);
    // the prediction of every step, the first 7 of them ignored
    let predicted: Vec<usize> = y.iter().map(|&d| if d == NO_TARGET { 7 } else { d }).collect();
    assert_eq!(Layout::Delayed.digits(7).decode_sum(&predicted), 18310544);
    assert_eq!((Layout::Delayed.digits(7).steps(), Layout::Delayed.digits(7).outputs(), Layout::Notebook.digits(7).outputs()), (15, 8, 14));
    let d = Layout::Delayed.digits(3).describe();
    assert_eq!(d.step_labels, ["a₀", "a₁", "a₂", "b₀", "b₁", "b₂", "carry"]);
    assert_eq!(d.places, [None, None, None, Some(0), Some(1), Some(2), Some(3)]);
    assert_eq!(d.step_kinds, ["a", "a", "a", "b", "b", "b", "pad"]);
    assert!(d.adds && d.carry.contains("read n steps before") && d.floor.is_none());
}

#[test]
fn a_layout_describes_its_steps_columns_and_places() {
    let n = Layout::Notebook.digits(7).describe();
    assert_eq!(n.step_labels.first().map(String::as_str), Some("a₁"));
    assert_eq!(n.step_labels[7], "b₁");
    assert_eq!(n.step_labels[13], "b₇");
    assert_eq!(n.column_labels, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    assert_eq!(n.places, (0..14).rev().map(Some).collect::<Vec<_>>());
    assert_eq!(n.step_kinds[6..8], ["a", "b"]);
    assert_eq!(n.floor, Some(Evaluation { loss: 0.2494, digit_accuracy: 0.875, exact_accuracy: 0.153 }));
    assert_eq!(Layout::Notebook.digits(3).describe().floor, None);
    assert!(!n.adds && n.input.contains("(10 entries)") && n.carry.contains("before it has read"));
    let a = Layout::Aligned.digits(12).describe();
    assert_eq!(a.step_labels[0], "a₀b₀");
    assert_eq!(a.step_labels[11], "a₁₁b₁₁");
    assert_eq!(a.step_labels[12], "carry");
    assert_eq!(a.column_labels.len(), 20);
    assert!(a.adds && a.input.contains("(20 entries)") && a.carry.contains("read at step i − 1"));
    assert_eq!((a.column_labels[3].as_str(), a.column_labels[13].as_str()), ("a=3", "b=3"));
    assert_eq!(a.places, (0..13).map(Some).collect::<Vec<_>>());
    assert_eq!(Layout::Aligned.digits(7).symbol_label(49), "4+9");
    assert_eq!(Layout::Notebook.digits(7).symbol_label(4), "4");
    // every symbol's hot columns are the columns its label names
    for symbol in [0, 49, 90, 99] {
        let cols: Vec<&str> = hot_columns(symbol, 20).map(|j| a.column_labels[j].as_str()).collect();
        assert_eq!(cols, [format!("a={}", symbol / 10), format!("b={}", symbol % 10)]);
    }
}

#[test]
fn blank_steps_sit_between_a_and_b_and_read_an_eleventh_column() {
    let shape = Shape::new(Layout::Delayed, 3, 2);
    let (x, y) = shape.encode(905, 97).unwrap();
    // a = 905 least significant first, two blanks, b = 097, then the last carry's 0
    assert_eq!(x, [5, 0, 9, BLANK, BLANK, 7, 9, 0, 0]);
    // 905 + 97 = 1002, least significant first, due from the first step reading b
    assert_eq!(y, [NO_TARGET, NO_TARGET, NO_TARGET, NO_TARGET, NO_TARGET, 2, 0, 0, 1]);
    assert_eq!((shape.steps(), shape.outputs(), shape.input_dim()), (9, 4, 11));
    let predicted: Vec<usize> = y.iter().map(|&d| if d == NO_TARGET { 3 } else { d }).collect();
    assert_eq!(shape.decode_sum(&predicted), 1002);
    assert_eq!(hot_columns(BLANK, 11).collect::<Vec<_>>(), [10]);
    let d = shape.describe();
    assert_eq!(d.step_labels, ["a₀", "a₁", "a₂", "blank", "blank", "b₀", "b₁", "b₂", "carry"]);
    assert_eq!(d.step_kinds, ["a", "a", "a", "blank", "blank", "b", "b", "b", "pad"]);
    assert_eq!(d.places, [None, None, None, None, None, Some(0), Some(1), Some(2), Some(3)]);
    assert_eq!(d.column_labels.last().map(String::as_str), Some("blank"));
    assert_eq!(d.column_labels.len(), 11);
    assert_eq!(d.gap, 2);
    assert!(d.reads.ends_with("2 blank steps between them") && d.carry.contains("read n + 2 = 5 steps before") && d.input.contains("(11 entries)"));
    // only the delayed layout has blank steps
    assert_eq!(Shape::new(Layout::Aligned, 3, 2), Layout::Aligned.digits(3));
    assert_eq!(Shape::new(Layout::Notebook, 3, 2).steps(), 6);
}
