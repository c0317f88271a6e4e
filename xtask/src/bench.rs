//! `cargo xtask bench`: the same workloads on every engine, one table of sequences per second.
//!
//! Engines: the native core (bench/native/engines.rs), the wasm build as served (www/pkg) in Node and
//! in a Web Worker in headless Chromium, plain JavaScript in both (bench/plain.mjs), the
//! notebook's numpy code and a numpy version written for speed (bench/notebook.py) when python3
//! has numpy, PyTorch on the CPU (bench/torch_rnn.py) when python3 has torch, and TensorFlow.js's
//! wasm and cpu backends in a Chromium worker (bench/tfjs.mjs). Then the scaling grid
//! (xtask/src/scaling.rs). The gated cells (GRU, LSTM) have workloads of their own, against
//! torch.nn.GRU/LSTM and TF.js's tf.layers.gru/lstm; `--only gru1,lstm32` runs just the workloads
//! named, on the engines that have them. Engines run one
//! after another, never two at once; BLAS and PyTorch get one thread. Each prints
//! `RESULT <engine> <workload> <value>` lines on stdout; this file runs them and makes the table.
//! A training workload counts SGD steps only (one sequence each); the loss evaluation that the
//! trainer runs after each epoch is switched off for it and timed alone as workload (d).

use crate::{cargo, io, root, serve, sizes, Result};
use std::path::Path;
use std::process::{Command, Stdio};

const WORKLOADS: [(&str, &str); 9] = [
    ("a", "(a) notebook setting: H 100, 7+7 digits (14 steps), truncate 20, one sequence per SGD step"),
    ("b", "(b) the same with truncate 3 (the notebook's nested loops)"),
    ("a32", "(a32) the notebook's layout and H 100, batch 32 with Adam (lr 0.001), no truncation"),
    ("c32", "(c32) the carry preset: aligned layout (8 steps, 20-wide input), H 32, batch 32 with Adam (lr 0.02)"),
    ("d", "(d) forward only (the loss over 1000 samples: 1000 forward passes), H 100, 14 steps"),
    ("gru1", "(gru1) a GRU on (a)'s shapes: H 100, 14 steps, nothing truncated, one sequence per SGD step (lr 0.005)"),
    ("lstm1", "(lstm1) the same with an LSTM"),
    ("gru32", "(gru32) a GRU, H 100, 14 steps, batch 32 with Adam (lr 0.001)"),
    ("lstm32", "(lstm32) the same with an LSTM"),
];

const ENGINES: [(&str, &str); 14] = [
    ("native", "native core (Rust)"),
    ("native-f32", "native core, precision f32"),
    ("wasm-node", "wasm in Node"),
    ("wasm-chromium", "wasm in Chromium (Web Worker)"),
    ("wasm-f32-node", "wasm in Node, precision f32"),
    ("wasm-f32-chromium", "wasm in Chromium, precision f32"),
    ("js-node", "plain JS in Node"),
    ("js-chromium", "plain JS in Chromium (Web Worker)"),
    ("numpy-notebook", "notebook's numpy (nested loops)"),
    ("numpy-best", "numpy written for speed (1 BLAS thread)"),
    ("torch-f64", "PyTorch nn.RNN/GRU/LSTM, float64, 1 thread"),
    ("torch-f32", "PyTorch nn.RNN/GRU/LSTM, float32, 1 thread"),
    ("tfjs-wasm", "TensorFlow.js wasm backend, float32 (Worker)"),
    ("tfjs-cpu", "TensorFlow.js cpu backend, float32 (Worker)"),
];

/// TensorFlow.js (npm, pinned in package.json) where the benchmark's server serves it: the core,
/// its gradients and the cpu and wasm backends bundled by esbuild (bench/tfjs-entry.mjs), and the
/// wasm backend's binaries beside the bundle, in bench/vendor/tfjs/ (git-ignored).
const TFJS_WASM: [&str; 3] = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"];

fn vendor_tfjs() -> Result {
    let dir = root().join("bench/vendor/tfjs");
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    for file in TFJS_WASM {
        let from = root().join("node_modules/@tensorflow/tfjs-backend-wasm/dist").join(file);
        std::fs::copy(&from, dir.join(file)).map_err(io(&from))?;
    }
    let mut esbuild = Command::new(root().join("node_modules/.bin/esbuild"));
    esbuild
        .arg(root().join("bench/tfjs-entry.mjs"))
        .args(["--bundle", "--format=esm", "--minify", "--log-level=warning"])
        .arg(format!("--outfile={}", dir.join("tfjs.mjs").display()));
    crate::run(&mut esbuild)
}

/// One thread for every BLAS numpy or PyTorch may use, so that no peer runs on both cores.
const ONE_THREAD: [&str; 4] = ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"];

struct Row {
    engine: String,
    workload: String,
    value: f64,
}

pub fn run(args: &[String]) -> Result {
    let wasm = crate::build(true)?;
    if args.iter().any(|a| a == "--scaling") {
        return crate::scaling::run();
    }
    if args.iter().any(|a| a == "--memory") {
        // the Memory preset's claim: each cell trained two minutes through the wasm API in Node
        return crate::run(Command::new("node").arg("bench/memory.mjs"));
    }
    if let Some(i) = args.iter().position(|a| a == "--only") {
        let only = args.get(i + 1).ok_or("--only needs workloads, e.g. --only gru1,lstm1,gru32,lstm32")?;
        return run_only(only, &wasm);
    }
    let (raw, gz) = sizes(&wasm)?;
    if args.iter().any(|a| a == "--first-epoch") {
        let mut rows = Vec::new();
        first_epoch(&mut rows)?;
        print_first_epoch(&rows, gz);
        return Ok(());
    }
    let mut rows = Vec::new();
    let mut notes = Vec::new();

    collect(cargo().args(["bench", "-q", "-p", "rnn-playground", "--bench", "engines"]), &mut rows)?;
    collect(Command::new("node").arg("bench/node.mjs"), &mut rows)?;

    if in_chromium(&[], &mut rows, &mut notes)? {
        first_epoch(&mut rows)?;
    }

    if has_python_module("numpy") {
        collect(&mut python("bench/notebook.py"), &mut rows)?;
        if has_python_module("torch") {
            collect(&mut python("bench/torch_rnn.py"), &mut rows)?;
        } else {
            notes.push("PyTorch skipped: python3 cannot import torch (`pip install torch`, a large download, adds it)".into());
        }
    } else {
        notes.push("numpy and PyTorch skipped: python3 cannot import numpy (`pip install numpy`)".into());
    }

    print_table(&rows, raw, gz, &notes);
    crate::scaling::run()
}

/// `--only a32,gru1,…`: those workloads on the engines that have them (native, wasm in Node and in
/// Chromium, TF.js, PyTorch; not numpy, the page's first epoch or the scaling grid), and their table.
fn run_only(only: &str, wasm: &Path) -> Result {
    let names: Vec<&str> = only.split(',').filter(|w| !w.is_empty()).collect();
    if let Some(bad) = names.iter().find(|w| !WORKLOADS.iter().any(|(name, _)| name == *w)) {
        return Err(format!("--only: no workload {bad}; the workloads are {}", WORKLOADS.map(|(w, _)| w).join(", ")));
    }
    let mut rows = Vec::new();
    let mut notes = vec![format!("only the workloads {only} (numpy, the first epoch and the scaling grid skipped)")];
    collect(cargo().args(["bench", "-q", "-p", "rnn-playground", "--bench", "engines", "--"]).args(&names), &mut rows)?;
    collect(Command::new("node").args(["bench/node.mjs", only]), &mut rows)?;
    in_chromium(&[only], &mut rows, &mut notes)?;
    if has_python_module("torch") {
        collect(python("bench/torch_rnn.py").args(["--workloads", only]), &mut rows)?;
    } else {
        notes.push("PyTorch skipped: python3 cannot import torch".into());
    }
    let (raw, gz) = sizes(wasm)?;
    print_table(&rows, raw, gz, &notes);
    Ok(())
}

/// bench/chromium.mjs (with `extra` arguments) against a server of the checkout, if Chromium is
/// here: returns whether it ran, and says why not in `notes`.
fn in_chromium(extra: &[&str], rows: &mut Vec<Row>, notes: &mut Vec<String>) -> Result<bool> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        notes.push(format!("Chromium skipped: {chromium} is missing (set CHROMIUM to a Chromium binary)"));
        return Ok(false);
    }
    vendor_tfjs()?;
    let server = serve::Server::bind(0)?;
    let url = server.url();
    std::thread::spawn(move || server.run_forever());
    collect(Command::new("node").arg("bench/chromium.mjs").arg(&url).args(extra).env("CHROMIUM", &chromium), rows)?;
    Ok(true)
}

fn has_python_module(module: &str) -> bool {
    Command::new("python3").args(["-c", &format!("import {module}")]).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

/// python3 running a script with every BLAS pinned to one thread.
fn python(script: &str) -> Command {
    let mut cmd = Command::new("python3");
    cmd.arg(script);
    for var in ONE_THREAD {
        cmd.env(var, "1");
    }
    cmd
}

/// Runs an engine and keeps its RESULT lines.
fn collect(cmd: &mut Command, rows: &mut Vec<Row>) -> Result {
    for line in crate::output(cmd)?.lines() {
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
    println!("on one sequence for (a), (b), (gru1) and (lstm1), one forward pass for (d); 32 sequences per Adam step for (a32),");
    println!("(c32), (gru32) and (lstm32).");
    println!("'wasm-Chromium x': wasm in Chromium's rate over this engine's; 'x best numpy': this engine's over numpy-best's.");
    for (w, title) in WORKLOADS {
        if !ENGINES.iter().any(|(engine, _)| find(rows, engine, w).is_some()) {
            continue;
        }
        println!();
        println!("{title}");
        let (wasm, numpy) = (find(rows, "wasm-chromium", w), find(rows, "numpy-best", w));
        println!("  {:<42} {:>10} {:>16} {:>14}", "engine", "seq/s", "wasm-Chromium x", "x best numpy");
        for (engine, label) in ENGINES {
            let Some(v) = find(rows, engine, w) else { continue };
            let ratio = |a: Option<f64>, b: Option<f64>| a.zip(b).map_or("-".to_string(), |(a, b)| format!("{:.2}", a / b));
            println!("  {label:<42} {v:>10.0} {:>16} {:>14}", ratio(wasm, Some(v)), ratio(Some(v), numpy));
        }
    }
    print_targets(rows);
    println!();
    println!("wasm: {raw} bytes raw, {gz} bytes gzipped (-9): {:.1} KB / {:.1} KB", raw as f64 / 1000.0, gz as f64 / 1000.0);
    if rows.iter().any(|r| r.engine == "first-epoch") {
        print_first_epoch(rows, gz);
    } else {
        println!("first epoch on screen: not measured");
    }
    match find(rows, "page", "carry-100-ms") {
        Some(ms) => println!("carry preset in Chromium, Train clicked to 100 % of held-out sums and carry chains: {:.1} s (median of 3 seeds)", ms / 1000.0),
        None => println!("carry preset: not measured"),
    }
    for n in notes {
        println!("note: {n}");
    }
}

/// The speed targets, as ratios within this run: met, or by how much they are missed.
fn print_targets(rows: &[Row]) {
    let best = |engines: &[&str], w: &str| engines.iter().filter_map(|e| find(rows, e, w)).reduce(f64::max);
    let wasm = ["wasm-chromium", "wasm-f32-chromium"];
    let tfjs = ["tfjs-wasm", "tfjs-cpu"];
    let torch = ["torch-f64", "torch-f32"];
    let targets: [(&str, Option<f64>, Option<f64>, f64); 11] = [
        ("(a) wasm in Chromium / numpy written for speed", find(rows, "wasm-chromium", "a"), find(rows, "numpy-best", "a"), 1.5),
        ("(a) wasm in Chromium / plain JS in Chromium", find(rows, "wasm-chromium", "a"), find(rows, "js-chromium", "a"), 4.0),
        ("(a) wasm in Chromium / TensorFlow.js's fastest backend", find(rows, "wasm-chromium", "a"), best(&tfjs, "a"), 10.0),
        ("(a32) fastest wasm in Chromium / PyTorch's faster precision", best(&wasm, "a32"), best(&torch, "a32"), 1.0),
        ("(a32) fastest wasm in Chromium / TensorFlow.js's fastest", best(&wasm, "a32"), best(&tfjs, "a32"), 10.0),
        ("(c32) fastest wasm in Chromium / PyTorch's faster precision", best(&wasm, "c32"), best(&torch, "c32"), 1.0),
        ("(c32) fastest wasm in Chromium / TensorFlow.js's fastest", best(&wasm, "c32"), best(&tfjs, "c32"), 10.0),
        ("(gru1) fastest wasm in Chromium / PyTorch's faster precision", best(&wasm, "gru1"), best(&torch, "gru1"), 3.0),
        ("(lstm1) fastest wasm in Chromium / PyTorch's faster precision", best(&wasm, "lstm1"), best(&torch, "lstm1"), 3.0),
        ("(gru32) fastest wasm in Chromium / PyTorch float32", best(&wasm, "gru32"), find(rows, "torch-f32", "gru32"), 1.0),
        ("(lstm32) fastest wasm in Chromium / PyTorch float32", best(&wasm, "lstm32"), find(rows, "torch-f32", "lstm32"), 1.0),
    ];
    println!();
    println!("targets (ratios within this run)");
    for (what, ours, theirs, want) in targets {
        if ours.is_none() && theirs.is_none() {
            continue; // neither side ran (`--only`)
        }
        let verdict = match ours.zip(theirs) {
            Some((a, b)) if a / b >= want => format!("{:>6.2}  met (target {want})", a / b),
            Some((a, b)) => format!("{:>6.2}  missed: target {want}, {:.0} % short", a / b, 100.0 * (1.0 - a / b / want)),
            None => "     -  not measured".into(),
        };
        println!("  {what:<62} {verdict}");
    }
}

/// The page's first epoch, from `bench/first-epoch.mjs` on the page as `dist` writes it.
fn first_epoch(rows: &mut Vec<Row>) -> Result {
    let out = root().join("target/bench-dist");
    crate::dist::write_built(&out)?;
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    collect(Command::new("node").arg("bench/first-epoch.mjs").arg(&out).env("CHROMIUM", chromium), rows)
}

/// The goals of the issue "Instant, small and offline": first epoch, Train enabled, size.
const FIRST_EPOCH_GOAL_MS: f64 = 400.0;
const TRAIN_ENABLED_GOAL_MS: f64 = 250.0;
const SIZE_GOAL_BYTES: f64 = 100_000.0;

fn print_first_epoch(rows: &[Row], gz: u64) {
    let at = |k: &str| find(rows, "first-epoch", k).unwrap_or(f64::NAN);
    let verdict = |got: f64, goal: f64, unit: &str| {
        if got <= goal {
            format!("met (goal {goal:.0} {unit})")
        } else {
            format!("missed by {:.0} {unit} (goal {goal:.0} {unit})", got - goal)
        }
    };
    println!();
    println!("first epoch on screen: the dist page from a plain static server, a fresh context, Train clicked once enabled (median of 5)");
    let drawn = at("drawn");
    println!("  navigation to epoch 1 drawn: {drawn:.0} ms ({:.0}-{:.0} ms): {}", at("min"), at("max"), verdict(drawn, FIRST_EPOCH_GOAL_MS, "ms"));
    let enabled = at("trainEnabled");
    println!("  Train enabled at {enabled:.0} ms: {}", verdict(enabled, TRAIN_ENABLED_GOAL_MS, "ms"));
    // moments, not a chain: the worker loads beside the page, and the model waits for both
    let made_from = at("wasmReady").max(at("modelAsked"));
    let epoch_from = at("clicked").max(at("evaluated"));
    let moments = [
        ("HTML received", at("html"), None),
        ("the page's modules fetched and run", at("script"), Some(at("script") - at("html"))),
        ("the worker's modules fetched and run (beside the page's)", at("workerStart"), None),
        ("wasm fetched and compiled", at("wasmReady"), Some(at("wasmReady") - at("workerStart"))),
        ("views built, the browser's storage asked for a saved run", at("lookedUp"), Some(at("lookedUp") - at("script"))),
        ("first model made (data drawn), once asked and compiled", at("modelMade"), Some(at("modelMade") - made_from)),
        ("the starting evaluation", at("evaluated"), Some(at("evaluated") - at("modelMade"))),
        ("epoch 1 trained (from the click or the evaluation, the later)", at("received"), Some(at("received") - epoch_from)),
        ("epoch 1 drawn", drawn, Some(drawn - at("received"))),
    ];
    for (what, at_ms, took) in moments {
        let took = took.map_or(String::new(), |t| format!("{t:>5.0} ms"));
        println!("    at {at_ms:>5.0} ms  {what:<64} {took}");
    }
    println!("  wasm gzipped: {gz} bytes: {}", verdict(gz as f64, SIZE_GOAL_BYTES, "bytes"));
}

fn cpu_model() -> String {
    let out = Command::new("lscpu").output().map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default();
    out.lines().find_map(|l| l.strip_prefix("Model name:")).map_or_else(|| "unknown CPU".into(), |m| m.trim().to_string())
}
