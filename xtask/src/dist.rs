//! `cargo xtask dist [--out DIR]`: the release page as a static folder for any static host
//! (`dist/` by default): `index.html`, `manifest.webmanifest`, `sw.js` and `www/` with `www/pkg`
//! and `www/vendor`, nothing else, plus a `_headers` file (Netlify / Cloudflare Pages syntax) with the page's security headers.
//! The page's modules and the worker's are bundled (bundle.rs), and the offline copy's list is
//! written for what the folder holds.

use crate::site::{shipped, CSP, SANDBOX, SANDBOX_CSP, SERVICE_WORKER, TOP_LEVEL};
use crate::{build, bundle, io, offline, root, Result};
use std::fs;
use std::path::{Component, Path, PathBuf};

/// The first line of the `_headers` file, which also marks a folder as one this command wrote
/// (and may therefore remove).
const MARK: &str = "# Written by `cargo xtask dist`";

fn headers_file() -> String {
    format!(
        "{MARK}: the headers `cargo xtask serve` sends, for static hosts that read this file\n\
         # (Netlify, Cloudflare Pages). The page's <meta> tag carries the same policy.\n\
         /*\n  Content-Security-Policy: {}\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: no-referrer\n\
         # The homework's sandbox has a policy of its own, instead of the page's (`!` drops the page's\n\
         # on Cloudflare Pages). A host that sends both blocks the frame: the homework then says so.\n\
         /{}\n  ! Content-Security-Policy\n  Content-Security-Policy: {}\n\
         # The service worker asked for afresh each time, so a new build's reaches the page.\n\
         /{}\n  Cache-Control: no-cache\n",
        CSP, SANDBOX, SANDBOX_CSP, SERVICE_WORKER
    )
}

pub fn run(args: &[String]) -> Result {
    let out = match args.iter().position(|a| a == "--out") {
        Some(i) => PathBuf::from(args.get(i + 1).ok_or("--out needs a folder")?),
        None => root().join("dist"),
    };
    let out = real_path(&out)?;
    let root = real_path(&root())?;
    // before the build, to fail fast
    check_out(&root, &out)?;
    build(true)?;
    assemble(&root, &out)?;
    finish(&out)?;
    let (files, bytes) = folder_size(&out)?;
    println!("{} is ready for any static host: {files} files, {bytes} bytes ({} KiB)", out.display(), bytes.div_ceil(1024));
    Ok(())
}

/// The folder `dist` writes, from what the last build left in www/ (no build): for the browser
/// tests (`cargo xtask test` runs one right after its build). Returns the folder.
pub fn write_built(out: &Path) -> Result<PathBuf> {
    let (out, root) = (real_path(out)?, real_path(&root())?);
    assemble(&root, &out)?;
    finish(&out)?;
    Ok(out)
}

/// What makes the copied page the release: one module for the page and one for the worker, and
/// the offline copy's list (with its own build version) for exactly those files.
fn finish(out: &Path) -> Result {
    let modules = bundle::bundle(out)?;
    let version = offline::write(out)?;
    eprintln!("xtask: {} holds the page's and the worker's {modules} modules in two bundles, offline build {version}", out.display());
    Ok(())
}

/// The files under `dir` and their bytes.
fn folder_size(dir: &Path) -> Result<(usize, u64)> {
    let (mut files, mut bytes) = (0, 0);
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let meta = entry.metadata().map_err(io(&entry.path()))?;
        if meta.is_dir() {
            let (f, b) = folder_size(&entry.path())?;
            (files, bytes) = (files + f, bytes + b);
        } else {
            (files, bytes) = (files + 1, bytes + meta.len());
        }
    }
    Ok((files, bytes))
}

/// `path` made absolute, with symlinks and `..` resolved, even where it does not exist yet.
fn real_path(path: &Path) -> Result<PathBuf> {
    let path = std::path::absolute(path).map_err(io(path))?;
    let mut real = PathBuf::new();
    for component in path.components() {
        match component {
            // `real` has no symlink left in it, so its parent is the real parent
            Component::ParentDir => {
                real.pop();
            }
            Component::CurDir => {}
            c => {
                real.push(c);
                if let Ok(resolved) = real.canonicalize() {
                    real = resolved;
                }
            }
        }
    }
    Ok(real)
}

/// Refuses an output folder whose removal would lose anything: the repository or a folder
/// holding it, a folder inside the page's sources, or a non-empty folder this command did not
/// write. Both paths are real paths.
fn check_out(root: &Path, out: &Path) -> Result {
    if root.starts_with(out) {
        return Err(format!("--out {} holds the repository: choose a folder of its own", out.display()));
    }
    if out.starts_with(root.join("www")) || out == root.join("index.html") {
        return Err(format!("--out {} is inside the page's sources: choose another folder", out.display()));
    }
    let Ok(meta) = fs::symlink_metadata(out) else { return Ok(()) };
    let ours = fs::read_to_string(out.join("_headers")).is_ok_and(|h| h.starts_with(MARK));
    let empty = meta.is_dir() && fs::read_dir(out).map_err(io(out))?.next().is_none();
    if !meta.is_dir() || !(empty || ours) {
        return Err(format!(
            "{} exists and was not written by `cargo xtask dist` (no _headers from it): remove it yourself or choose another --out",
            out.display()
        ));
    }
    Ok(())
}

/// Writes the page from `root` into `out` (removed first): index.html, the manifest, the service
/// worker, www/ but its dotfiles, test folders, TypeScript declarations and configs, and _headers. Returns the files and bytes
/// written.
fn assemble(root: &Path, out: &Path) -> Result<(usize, u64)> {
    check_out(root, out)?;
    if out.exists() {
        fs::remove_dir_all(out).map_err(io(out))?;
    }
    fs::create_dir_all(out).map_err(io(out))?;
    let (mut files, mut bytes) = (0, 0);
    for name in TOP_LEVEL.into_iter().chain([SERVICE_WORKER]) {
        let from = root.join(name);
        bytes += fs::copy(&from, out.join(name)).map_err(io(&from))?;
        files += 1;
    }
    copy_tree(&root.join("www"), &out.join("www"), &mut files, &mut bytes)?;
    let headers = headers_file();
    fs::write(out.join("_headers"), &headers).map_err(io(out))?;
    Ok((files + 1, bytes + headers.len() as u64))
}

fn copy_tree(from: &Path, to: &Path, files: &mut usize, bytes: &mut u64) -> Result {
    fs::create_dir_all(to).map_err(io(to))?;
    let mut entries = fs::read_dir(from).and_then(|d| d.collect::<std::io::Result<Vec<_>>>()).map_err(io(from))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let name = entry.file_name().into_string().map_err(|_| format!("{}: not a UTF-8 name", src.display()))?;
        let kind = entry.file_type().map_err(io(&src))?; // the link itself, never its target
        if !shipped(&name, kind.is_dir()) {
            continue;
        }
        if kind.is_dir() {
            copy_tree(&src, &dst, files, bytes)?;
        } else if kind.is_file() {
            *bytes += fs::copy(&src, &dst).map_err(io(&src))?;
            *files += 1;
        } else {
            return Err(format!("{}: not a plain file or folder (a symlink?); `cargo xtask serve` refuses those, so dist does too", src.display()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve;
    use std::io::{Read, Write};

    fn tmp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-dist-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        real_path(&dir).unwrap()
    }

    fn write(path: &Path, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Every file under `dir`, relative, sorted.
    fn listing(dir: &Path) -> Vec<String> {
        fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
            for entry in fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(base, &path, out);
                } else {
                    out.push(path.strip_prefix(base).unwrap().to_string_lossy().into_owned());
                }
            }
        }
        let mut out = Vec::new();
        walk(dir, dir, &mut out);
        out.sort();
        out
    }

    /// A repository with the page, and things that must not ship.
    fn repo(base: &Path) -> PathBuf {
        let root = base.join("repo");
        for (file, text) in [
            ("index.html", "<title>page</title>"),
            ("manifest.webmanifest", "{}"),
            ("sw.js", "importScripts('www/pkg/precache.js');"),
            ("www/app/main.js", "import '../pkg/m.js';"),
            ("www/views/a.js", "export {};"),
            ("www/homework/sandbox.html", "<title>sandbox</title>"),
            ("www/pkg/m.js", "export default 1;"),
            ("www/pkg/m_bg.wasm", "\0asm"),
            ("www/pkg/m.d.ts", "declare const x: number;"),
            ("www/pkg/.gitignore", "*"),
            ("www/vendor/uPlot.esm.js", "export {};"),
            ("www/vendor/uPlot.esm.d.ts", "export {};"),
            ("www/tsconfig.json", "{}"),
            ("www/tsconfig.worker.json", "{}"),
            ("www/tests/page.test.mjs", "test"),
            ("bench/index.html", "bench"),
            ("Cargo.toml", "[package]"),
        ] {
            write(&root.join(file), text);
        }
        root
    }

    #[test]
    fn the_folder_holds_the_page_and_nothing_else() {
        let base = tmp("page");
        let root = repo(&base);
        let out = base.join("site");
        // a stale file from an earlier run disappears
        write(&out.join("www/old.js"), "old");
        write(&out.join("_headers"), &headers_file());
        let (files, bytes) = assemble(&root, &out).unwrap();
        let expected = [
            "_headers",
            "index.html",
            "manifest.webmanifest",
            "sw.js",
            "www/app/main.js",
            "www/homework/sandbox.html",
            "www/pkg/m.js",
            "www/pkg/m_bg.wasm",
            "www/vendor/uPlot.esm.js",
            "www/views/a.js",
        ];
        assert_eq!(listing(&out), expected);
        assert_eq!(files, expected.len());
        let total: u64 = expected.iter().map(|f| fs::metadata(out.join(f)).unwrap().len()).sum();
        assert_eq!(bytes, total);
        assert_eq!(fs::read_to_string(out.join("www/pkg/m_bg.wasm")).unwrap(), "\0asm");
        let headers = fs::read_to_string(out.join("_headers")).unwrap();
        assert!(headers.starts_with(MARK));
        let rules: Vec<&str> = headers.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            rules,
            [
                "/*",
                &format!("  Content-Security-Policy: {}", CSP),
                "  X-Content-Type-Options: nosniff",
                "  Referrer-Policy: no-referrer",
                "/www/homework/sandbox.html",
                "  ! Content-Security-Policy",
                &format!("  Content-Security-Policy: {}", SANDBOX_CSP),
                "/sw.js",
                "  Cache-Control: no-cache",
            ]
        );
        // and it serves: the development server over the folder
        let server = serve::Server::bind_root(0, &out).unwrap();
        let addr = server.addr();
        std::thread::spawn(move || server.run_forever());
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream.write_all(b"GET /www/pkg/m_bg.wasm HTTP/1.1\r\n\r\n").unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        assert!(
            reply.starts_with("HTTP/1.1 200 OK\r\n") && reply.contains("\r\nContent-Type: application/wasm\r\n") && reply.ends_with("\r\n\r\n\0asm"),
            "{reply}"
        );
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn folders_it_did_not_write_are_never_removed() {
        let base = tmp("refuse");
        let root = repo(&base);
        // the repository, a folder holding it, a folder in its sources
        for out in [root.clone(), base.clone(), root.join("www/dist"), root.join("www"), root.join("index.html")] {
            assert!(assemble(&root, &out).is_err(), "{}", out.display());
        }
        // a folder with someone's files, and a file
        write(&base.join("mine/notes.txt"), "keep");
        assert!(assemble(&root, &base.join("mine")).unwrap_err().contains("was not written by `cargo xtask dist`"));
        assert!(assemble(&root, &base.join("mine/notes.txt")).is_err());
        assert_eq!(fs::read_to_string(base.join("mine/notes.txt")).unwrap(), "keep");
        assert_eq!(fs::read_to_string(root.join("Cargo.toml")).unwrap(), "[package]");
        // an empty folder, or one it wrote, is fine
        fs::create_dir_all(base.join("empty")).unwrap();
        assemble(&root, &base.join("empty")).unwrap();
        assemble(&root, &base.join("empty")).unwrap();
        assert!(base.join("empty/www/app/main.js").is_file());
        fs::remove_dir_all(&base).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_in_www_stop_it() {
        let base = tmp("symlink");
        let root = repo(&base);
        std::os::unix::fs::symlink(root.join("Cargo.toml"), root.join("www/link.js")).unwrap();
        assert!(assemble(&root, &base.join("site")).unwrap_err().contains("link.js"));
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn real_paths_resolve_dot_dot_and_links_even_where_nothing_exists() {
        let base = tmp("real");
        fs::create_dir_all(base.join("a/b")).unwrap();
        assert_eq!(real_path(&base.join("a/b/../c/./d/../e")).unwrap(), base.join("a/c/e"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(base.join("a/b"), base.join("link")).unwrap();
            assert_eq!(real_path(&base.join("link/new/..")).unwrap(), base.join("a/b"));
            assert_eq!(real_path(&base.join("link/..")).unwrap(), base.join("a"));
        }
        fs::remove_dir_all(&base).unwrap();
    }
}
