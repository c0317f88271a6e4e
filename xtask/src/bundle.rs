//! `cargo xtask dist` ships the page's modules as one file and the worker's as another (esbuild,
//! npm, pinned). A plain HTTP/1.1 host answers six requests at a time, and the page's 55 modules
//! then took about 430 ms to arrive (docs/speed.md). The checkout keeps its modules as they
//! are, for the development server and the tests; this runs on `dist`'s copy only.

use crate::io;
use crate::{root, Result};
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

/// The page's entry and the worker's, each bundled into itself.
const ENTRIES: [&str; 2] = ["www/app/main.js", "www/worker/main.js"];

/// Imports left as imports: the build's version (dist writes its own, offline.rs), wasm-bindgen's
/// glue (it finds the .wasm beside itself, from `import.meta.url`), and the homework's editor,
/// which the page loads only when the Homework section opens.
const EXTERNAL: [&str; 3] = ["*/pkg/build.js", "*/pkg/rnn_playground.js", "*/homework/editor.js"];

/// Where the vendored libraries are (main.rs's VENDOR): their notices go with their code.
const VENDOR_DIR: &str = "www/vendor/";

/// Bundles the page and the worker in the folder `dist` wrote, each followed by the copyright and
/// licence notices of the libraries inside it; removes the modules now inside a bundle (and
/// folders left empty) and the page's preload links to them. Returns how many modules went into
/// the bundles.
pub fn bundle(out: &Path) -> Result<usize> {
    let mut inside = BTreeSet::new();
    for entry in ENTRIES {
        let modules = bundle_entry(out, entry)?;
        let mut notices = Vec::new();
        for module in modules.iter().filter(|m| m.starts_with(VENDOR_DIR)) {
            let path = out.join(module);
            let text = fs::read_to_string(&path).map_err(io(&path))?;
            let notice = notice(&text).ok_or_else(|| format!("{module} has no copyright notice at its top for the bundle to keep"))?;
            notices.push(format!("/* {module}: */\n{notice}"));
        }
        if !notices.is_empty() {
            // esbuild keeps only `/*!` and `@license` comments, which uPlot's and d3's are not
            append(&out.join(entry), &format!("\n/* The libraries in this bundle, with their notices: */\n{}\n", notices.join("\n")))?;
        }
        inside.extend(modules);
    }
    // only now: the two bundles share modules
    for module in &inside {
        let path = out.join(module);
        fs::remove_file(&path).map_err(io(&path))?;
        remove_empty_parents(out, &path);
    }
    let inside: Vec<String> = inside.into_iter().collect();
    let index = out.join("index.html");
    let html = fs::read_to_string(&index).map_err(io(&index))?;
    fs::write(&index, without_preloads(&html, &inside)).map_err(io(&index))?;
    Ok(inside.len())
}

/// Bundles `entry` over itself; returns the modules that went in (the entry aside).
fn bundle_entry(out: &Path, entry: &str) -> Result<Vec<String>> {
    let metafile = out.join(".bundle-meta.json");
    let mut cmd = Command::new(root().join("node_modules/.bin/esbuild"));
    cmd.current_dir(out)
        .arg(entry)
        .args(["--bundle", "--format=esm", "--minify", "--log-level=warning", "--allow-overwrite"])
        .arg(format!("--outfile={entry}"))
        .args(EXTERNAL.map(|e| format!("--external:{e}")))
        .arg(format!("--metafile={}", metafile.display()));
    let status = cmd.status().map_err(|e| format!("could not start esbuild ({cmd:?}): {e}"))?;
    if !status.success() {
        return Err(format!("esbuild failed ({status}) bundling {entry} in {}", out.display()));
    }
    let meta = fs::read_to_string(&metafile).map_err(io(&metafile))?;
    fs::remove_file(&metafile).map_err(io(&metafile))?;
    bundled_modules(&meta, entry)
}

/// The files esbuild read into a bundle, from its metafile, as it names them.
fn metafile_inputs(meta: &str) -> Result<Vec<String>> {
    let meta: serde_json::Value = serde_json::from_str(meta).map_err(|e| format!("esbuild's metafile: {e}"))?;
    let inputs = meta["inputs"].as_object().ok_or("esbuild's metafile has no inputs")?;
    Ok(inputs.keys().cloned().collect())
}

/// `text` added at the end of the file at `path`.
fn append(path: &Path, text: &str) -> Result {
    let mut whole = fs::read_to_string(path).map_err(io(path))?;
    whole.push_str(text);
    fs::write(path, whole).map_err(io(path))
}

/// The modules esbuild put into a bundle, but its entry (now the bundle), from its metafile:
/// paths relative to the folder.
fn bundled_modules(meta: &str, entry: &str) -> Result<Vec<String>> {
    let mut inside: Vec<String> = metafile_inputs(meta)?.into_iter().filter(|k| k != entry).collect();
    if let Some(outside) = inside.iter().find(|k| !k.starts_with("www/") || k.contains("..")) {
        return Err(format!("esbuild bundled {outside}, which is not in the page's www/"));
    }
    inside.sort();
    Ok(inside)
}

/// The comment a library starts with (its copyright and licence): a `/* … */` block, or the
/// `//` lines at its top.
fn notice(text: &str) -> Option<&str> {
    if text.starts_with("/*") {
        return text.find("*/").map(|end| &text[..end + 2]);
    }
    let end: usize = text.split_inclusive('\n').take_while(|l| l.starts_with("//")).map(str::len).sum();
    (end > 0).then(|| text[..end].trim_end())
}

/// Ends a bundle of npm packages (esbuild's `metafile` names them) with their licences, read from
/// each package's LICENSE file: packages with the same text share one copy.
pub fn append_licences(bundle: &Path, metafile: &Path, root: &Path) -> Result {
    let inputs = metafile_inputs(&fs::read_to_string(metafile).map_err(io(metafile))?)?;
    let packages: BTreeSet<&str> = inputs.iter().filter_map(|k| package_of(k)).collect();
    // licence text -> the packages under it
    let mut by_text: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
    for package in packages {
        let dir = root.join("node_modules").join(package);
        let file = fs::read_dir(&dir)
            .map_err(io(&dir))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.to_ascii_uppercase().starts_with("LICEN")))
            .ok_or_else(|| format!("{package} has no LICENSE file for the bundle to carry"))?;
        let text = fs::read_to_string(&file).map_err(io(&file))?;
        by_text.entry(text.trim().replace("*/", "* /")).or_default().push(package);
    }
    let mut notes = String::from("\n/* The packages in this bundle, with their licences:\n");
    for (text, packages) in &by_text {
        notes.push_str(&format!("\n{}:\n\n{text}\n", packages.join(", ")));
    }
    notes.push_str("*/\n");
    append(bundle, &notes)
}

/// The npm package a path under node_modules/ belongs to: `crelt`, `@codemirror/view`.
fn package_of(path: &str) -> Option<&str> {
    let rest = &path[path.rfind("node_modules/")? + "node_modules/".len()..];
    let segments = if rest.starts_with('@') { 2 } else { 1 };
    let end = rest.match_indices('/').nth(segments - 1)?.0;
    Some(&rest[..end])
}

/// Removes the folders above `path` that are now empty, up to `out`.
fn remove_empty_parents(out: &Path, path: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir.filter(|d| *d != out) {
        if fs::remove_dir(d).is_err() {
            break; // not empty
        }
        dir = d.parent();
    }
}

/// index.html without its `<link rel="modulepreload">` lines for modules now inside a bundle.
fn without_preloads(html: &str, inside: &[String]) -> String {
    let gone = |line: &str| {
        let line = line.trim();
        line.starts_with("<link rel=\"modulepreload\"") && inside.iter().any(|m| line.contains(&format!("href=\"{m}\"")))
    };
    html.split_inclusive('\n').filter(|l| !gone(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_metafile_names_what_went_in_and_nothing_outside_www_may() {
        let meta = r#"{"inputs": {"www/app/main.js": {}, "www/views/a.js": {}, "www/dom.js": {}}, "outputs": {}}"#;
        assert_eq!(bundled_modules(meta, "www/app/main.js").unwrap(), ["www/dom.js", "www/views/a.js"]);
        let outside = r#"{"inputs": {"www/app/main.js": {}, "../secret.js": {}}}"#;
        assert!(bundled_modules(outside, "www/app/main.js").unwrap_err().contains("../secret.js"));
        assert!(bundled_modules("{}", "www/app/main.js").is_err());
    }

    #[test]
    fn a_librarys_notice_is_the_comment_it_starts_with() {
        assert_eq!(notice("/**\n* Copyright (c) 2025, L\n*/\n\nconst a = 1; /* x */"), Some("/**\n* Copyright (c) 2025, L\n*/"));
        assert_eq!(notice("// https://d3js.org v3 Copyright M\n// more\nfunction t(){}"), Some("// https://d3js.org v3 Copyright M\n// more"));
        assert_eq!(notice("// only a notice"), Some("// only a notice"));
        assert_eq!(notice("function t(){} // late"), None);
        assert_eq!(notice("/* never closed"), None);
    }

    #[test]
    fn a_path_names_its_npm_package() {
        assert_eq!(package_of("node_modules/@codemirror/view/dist/index.js"), Some("@codemirror/view"));
        assert_eq!(package_of("../node_modules/crelt/index.js"), Some("crelt"));
        assert_eq!(package_of("node_modules/a/node_modules/b/x.js"), Some("b"));
        assert_eq!(package_of("xtask/codemirror-entry.mjs"), None);
        assert_eq!(package_of("node_modules/@scope"), None);
    }

    #[test]
    fn only_the_preloads_of_bundled_modules_go() {
        let html = "<head>\n  <link rel=\"modulepreload\" href=\"www/app/main.js\">\n  <link rel=\"modulepreload\" href=\"www/dom.js\">\n  <link rel=\"modulepreload\" href=\"www/pkg/build.js\">\n  <link rel=\"stylesheet\" href=\"www/dom.js.css\">\n</head>\n";
        let kept = without_preloads(html, &["www/dom.js".to_string()]);
        assert_eq!(
            kept,
            "<head>\n  <link rel=\"modulepreload\" href=\"www/app/main.js\">\n  <link rel=\"modulepreload\" href=\"www/pkg/build.js\">\n  <link rel=\"stylesheet\" href=\"www/dom.js.css\">\n</head>\n"
        );
    }
}
