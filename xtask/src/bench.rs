//! The benchmark table (filled in by the performance work).

pub fn run(_args: &[String]) -> crate::Result {
    Err("the benchmark is not written yet".into())
}
