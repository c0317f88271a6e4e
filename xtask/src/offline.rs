//! The offline copy's list, written by `cargo xtask build` after everything else it builds:
//!
//! - `www/pkg/precache.js`, for the service worker (`sw.js` imports it): the build's version and
//!   every file the page ships, each with its SRI hash, so the worker caches exactly this build
//!   (a file that differs, edited since, fails the install and the older copy stays);
//! - `www/pkg/build.js`, for the page: the same version, to tell when a newer build is ready.
//!
//! The files are the ones `cargo xtask dist` ships (`site::shipped`): `index.html`, the manifest
//! and `www/`, so the checkout and `dist/` keep the same copy. `sw.js` and `precache.js` are not
//! in it: the browser keeps a service worker's scripts with the worker.

use crate::site::{shipped, TOP_LEVEL};
use crate::{io, Result};
use sha2::{Digest, Sha256};
use std::fs;
use std::path::Path;

const PRECACHE: &str = "www/pkg/precache.js";
const BUILD: &str = "www/pkg/build.js";

/// Writes `www/pkg/precache.js` and `www/pkg/build.js` under `root`; returns the version.
pub fn write(root: &Path) -> Result<String> {
    let mut files = Vec::new();
    for name in TOP_LEVEL {
        files.push(name.to_string());
    }
    list(root, "www", &mut files)?;
    files.retain(|f| f != PRECACHE && f != BUILD);
    let mut entries = Vec::new();
    let mut all = Sha256::new();
    for file in &files {
        let bytes = fs::read(root.join(file)).map_err(|e| format!("{file}: {e}"))?;
        let digest = Sha256::digest(&bytes);
        all.update(file.as_bytes());
        all.update([0]);
        all.update(digest);
        entries.push((file.clone(), integrity(&digest)));
    }
    // 64 bits: enough to tell builds apart, short enough to read in a cache's name
    let version: String = all.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect();
    let build = format!(
        "// Written by `cargo xtask build`; do not edit. This page's build, to tell a newer one (www/app/offline.js).\nexport const BUILD = '{version}';\n"
    );
    write_file(&root.join(BUILD), &build)?;
    entries.push((BUILD.to_string(), integrity(&Sha256::digest(build.as_bytes()))));
    write_file(&root.join(PRECACHE), &precache_script(&version, &entries))?;
    Ok(version)
}

/// The classic script `sw.js` imports: `self.PRECACHE = { version, files: [[path, integrity], …] }`.
fn precache_script(version: &str, entries: &[(String, String)]) -> String {
    let files: Vec<serde_json::Value> = entries.iter().map(|(f, i)| serde_json::json!([f, i])).collect();
    let files = serde_json::to_string_pretty(&files).expect("strings serialise");
    format!(
        "// Written by `cargo xtask build`; do not edit. The files sw.js keeps for offline use, with\n\
         // their SRI hashes, and the build's version (a hash of them all).\n\
         self.PRECACHE = Object.freeze({{ version: '{version}', files: {files} }});\n"
    )
}

fn write_file(path: &Path, text: &str) -> Result {
    fs::write(path, text).map_err(io(path))
}

/// The shipped files under `rel` (a folder of `root`), as `/`-separated paths, sorted.
fn list(root: &Path, rel: &str, out: &mut Vec<String>) -> Result {
    let dir = root.join(rel);
    let mut entries = fs::read_dir(&dir).and_then(|d| d.collect::<std::io::Result<Vec<_>>>()).map_err(io(&dir))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let at = entry.path();
        let name = entry.file_name().into_string().map_err(|_| format!("{}: not a UTF-8 name", at.display()))?;
        let kind = entry.file_type().map_err(io(&at))?;
        if !shipped(&name, kind.is_dir()) {
            continue;
        }
        let path = format!("{rel}/{name}");
        if kind.is_dir() {
            list(root, &path, out)?;
        } else if kind.is_file() {
            out.push(path);
        }
        // a symlink: `dist` refuses it and the server does not serve it, so it is not cached
    }
    Ok(())
}

/// A Subresource Integrity value (`sha256-…`).
fn integrity(digest: &[u8]) -> String {
    format!("sha256-{}", base64(digest))
}

/// Standard base64 with padding, as SRI and CSP hashes use.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() { ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char } else { '=' });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_writes_what_sri_and_csp_hashes_use() {
        assert_eq!([base64(b""), base64(b"f"), base64(b"fo"), base64(b"foo"), base64(b"foob")], ["", "Zg==", "Zm8=", "Zm9v", "Zm9vYg=="]);
    }

    fn site(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-offline-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        for (file, text) in [
            ("index.html", "<title>page</title>"),
            ("manifest.webmanifest", "{}"),
            ("sw.js", "importScripts('www/pkg/precache.js');"),
            ("www/app/main.js", "export {};"),
            ("www/icons/icon.svg", "<svg/>"),
            ("www/pkg/m_bg.wasm", "\0asm"),
            ("www/pkg/m.d.ts", "declare const x: number;"),
            ("www/tsconfig.json", "{}"),
            ("www/.hidden", "x"),
            ("bench/index.html", "bench"),
        ] {
            let path = dir.join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        dir
    }

    fn files_of(precache: &str) -> Vec<String> {
        let json = &precache[precache.find("files: ").unwrap() + 7..precache.rfind(" })").unwrap()];
        let files: Vec<(String, String)> = serde_json::from_str(json).unwrap();
        files.into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn the_list_is_what_dist_ships_and_the_version_follows_every_byte() {
        let root = site("list");
        let version = write(&root).unwrap();
        let precache = fs::read_to_string(root.join(PRECACHE)).unwrap();
        assert!(precache.contains(&format!("version: '{version}'")));
        assert_eq!(
            files_of(&precache),
            ["index.html", "manifest.webmanifest", "www/app/main.js", "www/icons/icon.svg", "www/pkg/m_bg.wasm", "www/pkg/build.js"]
        );
        let wasm = format!("\"{}\"", integrity(&Sha256::digest(b"\0asm")));
        assert!(precache.contains(&wasm), "{precache}");
        assert_eq!(fs::read_to_string(root.join(BUILD)).unwrap().lines().nth(1).unwrap(), format!("export const BUILD = '{version}';"));
        // written again unchanged: the same version (its own files do not count)
        assert_eq!(write(&root).unwrap(), version);
        // one byte changed anywhere: a new version
        fs::write(root.join("www/icons/icon.svg"), "<svg />").unwrap();
        let changed = write(&root).unwrap();
        assert_ne!(changed, version);
        // a file outside the shipped set changes nothing
        fs::write(root.join("www/tsconfig.json"), "{ }").unwrap();
        fs::write(root.join("bench/index.html"), "bench!").unwrap();
        assert_eq!(write(&root).unwrap(), changed);
        fs::remove_dir_all(&root).unwrap();
    }
}
