//! Project tasks, so a newcomer needs nothing but cargo, node and npm:
//!
//!   cargo xtask serve [--port N] [--dev]    build the page and serve it on 127.0.0.1 (development only)
//!   cargo xtask test                        the gates (rustfmt, clippy, biome, tsc), then every test: native, wasm in Node, the page in Chromium
//!   cargo xtask build [--dev]               only build www/pkg (and www/vendor)
//!   cargo xtask dist [--out DIR]            build the page and write it to dist/ for a static host
//!   cargo xtask bench [--scaling]           the benchmark table and the scaling grid (see README); --scaling: only the grid;
//!                                          --first-epoch, --memory, --only W,...: only those (docs/benchmark.md)
//!
//! The wasm-bindgen CLI is this crate's own dependency, pinned to the library's exact version, so
//! nothing is installed separately; the wasm32 target and npm packages are installed when missing.

mod bench;
mod bundle;
mod dist;
mod offline;
mod scaling;
mod serve;
mod site;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => build(!has(&args, "--dev")).map(|_| ()),
        Some("serve") => serve_command(&args),
        Some("test") => test(),
        Some("bench") => bench::run(&args[1..]),
        Some("dist") => dist::run(&args[1..]),
        // cargo calls this as the wasm32 test runner (.cargo/config.toml)
        Some("wasm-test-runner") => wasm_bindgen_cli::wasm_bindgen_test_runner::run_cli_with_args(
            std::iter::once("wasm-bindgen-test-runner".to_string()).chain(args[1..].iter().cloned()),
        )
        .map_err(|e| format!("{e:#}")),
        _ => Err("usage: cargo xtask <serve [--port N] [--dev] | test | build [--dev] | dist [--out DIR] | bench [--scaling]>".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn has(args: &[String], flag: &str) -> bool {
    args.iter().any(|a| a == flag)
}

/// The repository root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask is inside the repo").to_path_buf()
}

/// Runs a command in the repository root, failing with its name if it fails.
pub fn run(cmd: &mut Command) -> Result {
    eprintln!("xtask: running {cmd:?}");
    let status = cmd.current_dir(root()).status().map_err(|e| format!("could not start {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed ({status})"))
    }
}

/// Runs a command in the repository root (its stderr passes through) and returns its stdout.
pub fn output(cmd: &mut Command) -> Result<String> {
    eprintln!("xtask: running {cmd:?}");
    let out = cmd.current_dir(root()).stderr(Stdio::inherit()).output().map_err(|e| format!("could not start {cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{cmd:?} failed ({})", out.status));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// An I/O error with the path it is about.
pub fn io(path: &Path) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("{}: {e}", path.display())
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn ensure_wasm_target() -> Result {
    let out = Command::new("rustup").args(["target", "list", "--installed"]).output();
    match out {
        Ok(o) if String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown") => Ok(()),
        Ok(_) => run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"])),
        Err(_) => Ok(()), // no rustup: the toolchain manages targets some other way; cargo will say
    }
}

/// `npm ci` when node_modules is missing or older than the lock file.
pub fn ensure_npm_packages() -> Result {
    let root = root();
    let marker = root.join("node_modules/.package-lock.json");
    let lock = root.join("package-lock.json");
    let stale = match (marker.metadata().and_then(|m| m.modified()), lock.metadata().and_then(|m| m.modified())) {
        (Ok(installed), Ok(locked)) => installed < locked,
        _ => true,
    };
    if stale {
        run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    }
    Ok(())
}

/// Front-end libraries the page imports, copied from node_modules so the page is served whole
/// from its own origin: (file in node_modules, name in www/vendor). uPlot's declarations sit
/// beside its module for the type check (`dist` leaves .d.ts files out); d3 has none there, and
/// its types are inferred from the modules themselves.
const VENDOR: [(&str, &str); 6] = [
    ("uplot/dist/uPlot.esm.js", "uPlot.esm.js"),
    ("uplot/dist/uPlot.d.ts", "uPlot.esm.d.ts"),
    ("uplot/dist/uPlot.min.css", "uPlot.min.css"),
    ("d3-color/dist/d3-color.min.mjs", "d3-color.min.mjs"),
    ("d3-interpolate/dist/d3-interpolate.min.mjs", "d3-interpolate.min.mjs"),
    ("d3-scale-chromatic/dist/d3-scale-chromatic.min.mjs", "d3-scale-chromatic.min.mjs"),
];

fn vendor() -> Result {
    let root = root();
    let dir = root.join("www/vendor");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    for (from, to) in VENDOR {
        let from = root.join("node_modules").join(from);
        let text = std::fs::read_to_string(&from).map_err(io(&from))?;
        // The d3 modules import each other by bare name; a worker-free page has no bundler, so
        // point those imports at the neighbouring files.
        let text = text.replace("from\"d3-interpolate\"", "from\"./d3-interpolate.min.mjs\"").replace("from\"d3-color\"", "from\"./d3-color.min.mjs\"");
        std::fs::write(dir.join(to), text).map_err(|e| e.to_string())?;
    }
    bundle_editor(&dir)
}

/// CodeMirror 6 (the homework's editor) is many ES modules that import each other by bare name:
/// esbuild (npm, pinned) bundles them into one file, loaded only when the Homework section opens.
/// Its declarations are a few lines of ours (xtask/codemirror.d.ts): the page uses five names.
fn bundle_editor(dir: &Path) -> Result {
    let root = root();
    let out = dir.join("codemirror.js");
    let meta = root.join("target/codemirror-meta.json");
    std::fs::create_dir_all(root.join("target")).map_err(|e| e.to_string())?;
    let mut cmd = Command::new(root.join("node_modules/.bin/esbuild"));
    cmd.arg(root.join("xtask/codemirror-entry.mjs"))
        .args(["--bundle", "--format=esm", "--minify", "--legal-comments=eof", "--log-level=warning"])
        .arg(format!("--outfile={}", out.display()))
        .arg(format!("--metafile={}", meta.display()));
    run(&mut cmd)?;
    // CodeMirror's packages carry their MIT licence in LICENSE files, not in their code
    bundle::append_licences(&out, &meta, &root)?;
    std::fs::copy(root.join("xtask/codemirror.d.ts"), dir.join("codemirror.d.ts")).map_err(|e| e.to_string())?;
    Ok(())
}

/// Builds the wasm module into www/pkg and the vendored libraries into www/vendor.
/// Returns the path of the .wasm file.
pub fn build(release: bool) -> Result<PathBuf> {
    ensure_wasm_target()?;
    ensure_npm_packages()?;
    let root = root();
    let mut cmd = cargo();
    cmd.args(["build", "--lib", "--target", "wasm32-unknown-unknown", "-p", "rnn-playground"]);
    if release {
        cmd.arg("--release");
    }
    run(&mut cmd)?;
    let profile = if release { "release" } else { "debug" };
    // cargo's output directory: CARGO_TARGET_DIR when set (relative to the root, where cargo ran)
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), |d| root.join(d));
    let wasm = target.join("wasm32-unknown-unknown").join(profile).join("rnn_playground.wasm");
    let out_dir = root.join("www/pkg");
    eprintln!("xtask: wasm-bindgen --target web --out-dir www/pkg");
    wasm_bindgen_cli::wasm_bindgen::run_cli_with_args([
        "wasm-bindgen".as_ref(),
        "--target".as_ref(),
        "web".as_ref(),
        "--out-dir".as_ref(),
        out_dir.as_os_str(),
        wasm.as_os_str(),
    ])
    .map_err(|e| format!("wasm-bindgen: {e:#}"))?;
    let bg = out_dir.join("rnn_playground_bg.wasm");
    if release {
        // npm's binaryen, never Debian's (its old wasm-opt breaks the module).
        let wasm_opt = root.join("node_modules/.bin/wasm-opt");
        run(Command::new(wasm_opt).arg(&bg).arg("-o").arg(&bg).args([
            "-O3",
            "--enable-simd",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
        ]))?;
    }
    vendor()?;
    write_settings_schema(&out_dir)?;
    // last: the offline copy's list hashes every file written above
    let version = offline::write(&root)?;
    eprintln!("xtask: www/pkg/precache.js lists build {version} for the service worker");
    let (raw, gz) = sizes(&bg)?;
    eprintln!("xtask: www/pkg/rnn_playground_bg.wasm is {raw} bytes, {gz} gzipped");
    Ok(bg)
}

/// The core's settings table as an ES module, `www/pkg/settings-schema.js`, so the page knows
/// every setting's type, default and bounds before the worker has loaded the wasm module (the
/// module exports the same table as `settingsSchema()`; tests/node checks they agree).
fn write_settings_schema(out_dir: &Path) -> Result {
    let schema = serde_json::to_string_pretty(&rnn_playground::config::schema()).map_err(|e| e.to_string())?;
    let text = format!("// Written by `cargo xtask build` from src/config.rs; do not edit.\nexport const SCHEMA = Object.freeze({schema});\n");
    std::fs::write(out_dir.join("settings-schema.js"), text).map_err(|e| e.to_string())
}

/// Size of a file raw and gzipped (-9).
pub fn sizes(path: &Path) -> Result<(u64, u64)> {
    let raw = path.metadata().map_err(io(path))?.len();
    let out = Command::new("gzip").args(["-9", "-c"]).arg(path).output().map_err(|e| format!("gzip: {e}"))?;
    Ok((raw, out.stdout.len() as u64))
}

fn serve_command(args: &[String]) -> Result {
    let port = match args.iter().position(|a| a == "--port") {
        Some(i) => args.get(i + 1).and_then(|p| p.parse::<u16>().ok()).ok_or("--port needs a number from 0 to 65535")?,
        None => 8080,
    };
    build(!has(args, "--dev"))?;
    let server = serve::Server::bind(port)?;
    println!("rnn-playground is being served at {}  (Ctrl-C stops it)", server.url());
    server.run_forever();
    Ok(())
}

/// rustfmt and clippy, for the gates, when the toolchain came without them.
fn ensure_lint_components() -> Result {
    let out = Command::new("rustup").args(["component", "list", "--installed"]).output();
    match out {
        Ok(o) => {
            let installed = String::from_utf8_lossy(&o.stdout).into_owned();
            for component in ["rustfmt", "clippy"] {
                if !installed.lines().any(|l| l.starts_with(component)) {
                    run(Command::new("rustup").args(["component", "add", component]))?;
                }
            }
            Ok(())
        }
        Err(_) => Ok(()), // no rustup: cargo fmt / clippy will say what is missing
    }
}

/// What `biome ci` checks: formatted, and no lint finding (biome.jsonc says which files and rules).
const BIOME_PATHS: [&str; 5] = ["www", "tests", "bench", "xtask", "sw.js"];

/// The gates: formatted code (rustfmt.toml), no clippy warning natively or in wasm32, and the
/// JavaScript formatted and linted by Biome (npm's, pinned in package.json).
fn lint() -> Result {
    ensure_lint_components()?;
    ensure_wasm_target()?;
    run(cargo().args(["fmt", "--all", "--check"]))?;
    run(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    run(cargo().args(["clippy", "-p", "rnn-playground", "--all-targets", "--target", "wasm32-unknown-unknown", "--", "-D", "warnings"]))?;
    ensure_npm_packages()?;
    run(Command::new(root().join("node_modules/.bin/biome")).arg("ci").args(BIOME_PATHS))
}

/// `tsc` (npm's TypeScript) over www/: the page in its window (www/tsconfig.json) and the worker
/// in its worker scope (www/tsconfig.worker.json), as the two cannot share one program's globals.
/// Needs www/pkg and www/vendor, so it runs after `build`.
fn typecheck() -> Result {
    let tsc = root().join("node_modules/.bin/tsc");
    for config in ["www/tsconfig.json", "www/tsconfig.worker.json"] {
        run(Command::new(&tsc).args(["--project", config]))?;
    }
    Ok(())
}

fn test() -> Result {
    // 0. the gates, which fail fast
    lint()?;
    // 1. the core, natively
    run(cargo().args(["test", "-p", "rnn-playground"]))?;
    // ... and these tasks, the development server among them
    run(cargo().args(["test", "-p", "xtask"]))?;
    // 2. the wasm facade in Node (cargo runs it through our pinned wasm-bindgen-test runner)
    ensure_wasm_target()?;
    run(cargo().args(["test", "-p", "rnn-playground", "--target", "wasm32-unknown-unknown", "--test", "wasm_api"]))?;
    // 3. the page in real headless Chromium, served exactly as `cargo xtask serve` serves it
    build(true)?;
    // ... its JS type-checked first, against the .d.ts the build just wrote (files marked `// @ts-check`)
    typecheck()?;
    run(Command::new("node").args([
        "--test",
        "tests/node/init_sync.mjs",
        "tests/node/state.mjs",
        "tests/node/shapes.mjs",
        "tests/node/compare.mjs",
        "tests/node/tour.mjs",
        "tests/node/numbers.mjs",
    ]))?;
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Err(format!(
            "{chromium} is missing: the browser tests need Debian's chromium (`sudo apt-get install chromium`), or set CHROMIUM to another Chromium binary"
        ));
    }
    // the static folder `dist` writes, for offline.test.mjs to serve as a plain static host would
    let dist = dist::write_built(&root().join("target/e2e-dist"))?;
    let server = serve::Server::bind(0)?;
    let url = server.url();
    std::thread::spawn(move || server.run_forever());
    run(Command::new("node").args(["--test", "--test-concurrency=1", "tests/e2e/"]).env("BASE_URL", &url).env("CHROMIUM", &chromium).env("DIST_DIR", &dist))
}
