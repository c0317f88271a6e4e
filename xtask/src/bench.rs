//! `cargo xtask bench`: the same workloads on every engine, one table of sequences per second.
//!
//! Engines: the native core (bench/native/engines.rs), the wasm build as served (www/pkg) in Node and
//! in a Web Worker in headless Chromium, plain JavaScript in both (bench/plain.mjs), and the
//! notebook's numpy code (bench/notebook.py) when python3 has numpy. Each prints
//! `RESULT <engine> <workload> <value>` lines on stdout; this file runs them and makes the table.
//! A training workload counts SGD steps only (one sequence each); the loss evaluation that the
//! trainer runs after each epoch is switched off for it and timed alone as workload (d).

use crate::{cargo, root, serve, sizes, Result};
use std::path::Path;
use std::process::{Command, Stdio};

const WORKLOADS: [(&str, &str); 3] = [
    ("a", "(a) notebook setting: H 100, 7+7 digits (14 steps), truncate 20, one sequence per SGD step"),
    ("b", "(b) the same with truncate 3 (the notebook's nested loops)"),
    ("d", "(d) forward only (the loss over 1000 samples: 1000 forward passes), H 100, 14 steps"),
];

const ENGINES: [(&str, &str); 7] = [
    ("native", "native core (Rust)"),
    ("wasm-node", "wasm in Node"),
    ("wasm-chromium", "wasm in Chromium (Web Worker)"),
    ("js-node", "plain JS in Node"),
    ("js-chromium", "plain JS in Chromium (Web Worker)"),
    ("numpy-notebook", "notebook's numpy (nested loops)"),
    ("numpy-single-pass", "numpy, one backward pass"),
];

/// numpy runs this many sequences per timed run (it manages a few hundred a second).
const NUMPY_SAMPLES: &str = "100";

struct Row {
    engine: String,
    workload: String,
    value: f64,
}

pub fn run(_args: &[String]) -> Result {
    let wasm = crate::build(true)?;
    let (raw, gz) = sizes(&wasm)?;
    let mut rows = Vec::new();
    let mut notes = Vec::new();

    collect(cargo().args(["bench", "-q", "-p", "rnn-playground", "--bench", "engines"]), &mut rows)?;
    collect(Command::new("node").arg("bench/node.mjs"), &mut rows)?;

    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if Path::new(&chromium).exists() {
        let server = serve::Server::bind(0)?;
        let url = server.url();
        std::thread::spawn(move || server.run_forever());
        collect(Command::new("node").args(["bench/chromium.mjs", &url]).env("CHROMIUM", &chromium), &mut rows)?;
    } else {
        notes.push(format!("Chromium skipped: {chromium} is missing (set CHROMIUM to a Chromium binary)"));
    }

    let numpy = Command::new("python3").args(["-c", "import numpy"]).stderr(Stdio::null()).status();
    if numpy.is_ok_and(|s| s.success()) {
        collect(Command::new("python3").args(["bench/notebook.py", "--samples", NUMPY_SAMPLES]), &mut rows)?;
    } else {
        notes.push("numpy skipped: python3 with numpy is not available".into());
    }

    print_table(&rows, raw, gz, &notes);
    Ok(())
}

/// Runs an engine (stderr passes through) and keeps its RESULT lines.
fn collect(cmd: &mut Command, rows: &mut Vec<Row>) -> Result {
    eprintln!("xtask: running {cmd:?}");
    let out = cmd.current_dir(root()).stderr(Stdio::inherit()).output().map_err(|e| format!("could not start {cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{cmd:?} failed ({})", out.status));
    }
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if let ["RESULT", engine, workload, value] = f[..] {
            let value = value.parse().map_err(|_| format!("{cmd:?} printed a bad number: {line}"))?;
            rows.push(Row { engine: engine.into(), workload: workload.into(), value });
        }
    }
    Ok(())
}

fn find(rows: &[Row], engine: &str, workload: &str) -> Option<f64> {
    rows.iter().find(|r| r.engine == engine && r.workload == workload).map(|r| r.value)
}

fn print_table(rows: &[Row], raw: u64, gz: u64, notes: &[String]) {
    println!();
    println!("rnn-playground benchmark: {} ({} cores)", cpu_model(), std::thread::available_parallelism().map_or(0, |n| n.get()));
    println!("sequences/s = median of several runs after a warm-up; one sequence = one SGD step (forward + BPTT + update)");
    println!("on one 14-step sequence for (a) and (b), one forward pass for (d). numpy times its first {NUMPY_SAMPLES} sequences, the rest 1000.");
    for (w, title) in WORKLOADS {
        println!();
        println!("{title}");
        let (native, notebook) = (find(rows, "native", w), find(rows, "numpy-notebook", w));
        println!("  {:<36} {:>12} {:>10} {:>11}", "engine", "seq/s", "x native", "x notebook");
        for (engine, label) in ENGINES {
            let Some(v) = find(rows, engine, w) else { continue };
            let ratio = |base: Option<f64>| base.map_or("-".to_string(), |b| format!("{:.2}", v / b));
            println!("  {label:<36} {v:>12.0} {:>10} {:>11}", ratio(native), ratio(notebook));
        }
    }
    println!();
    println!("wasm: {raw} bytes raw, {gz} bytes gzipped (-9): {:.1} KB / {:.1} KB", raw as f64 / 1000.0, gz as f64 / 1000.0);
    match find(rows, "page", "first-epoch-ms") {
        Some(ms) => println!("real page in Chromium, navigation start to the status showing epoch 1 (Train clicked on load): {ms:.0} ms (median of 3)"),
        None => println!("real page: first-epoch time not measured"),
    }
    for n in notes {
        println!("note: {n}");
    }
}

fn cpu_model() -> String {
    let out = Command::new("lscpu").output().map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default();
    out.lines().find_map(|l| l.strip_prefix("Model name:")).map_or_else(|| "unknown CPU".into(), |m| m.trim().to_string())
}
