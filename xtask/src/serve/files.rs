//! Which files the development server serves, and as what: a request target mapped to a file
//! under the root (only the page's own files, no symlink, no dotfile, no `..`), and its type.

use super::http::{Status, BAD_REQUEST, NOT_FOUND};
use crate::site::{SERVICE_WORKER, TOP_LEVEL};
use std::path::{Path, PathBuf};

pub(super) fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

/// `%XX` escapes decoded once (so `%252e` stays the literal `%2e`); None for a broken escape.
pub(super) fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let digit = |b: u8| (b as char).to_digit(16);
            out.push((digit(hex[0])? * 16 + digit(hex[1])?) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// A path segment that names an ordinary file or folder: not empty, not `.`, `..` or any other
/// dotfile, no backslash, colon or control character (NUL included).
pub(super) fn plain_segment(s: &str) -> bool {
    !s.is_empty() && !s.starts_with('.') && !s.chars().any(|c| c == '\\' || c == ':' || c.is_control())
}

/// Maps a request target to a file: "/" is index.html; only index.html, manifest.webmanifest,
/// sw.js and the files under www/ and bench/ are served, reached without any symlink. The path is percent-decoded first and
/// then checked, so `%2e%2e` is `..` and refused like it.
pub(super) fn resolve(root: &Path, target: &str) -> Result<PathBuf, Status> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let rel = path.strip_prefix('/').ok_or(BAD_REQUEST)?;
    let rel = String::from_utf8(percent_decode(rel).ok_or(BAD_REQUEST)?).map_err(|_| NOT_FOUND)?;
    let rel = if rel.is_empty() { "index.html" } else { rel.as_str() };
    let segments: Vec<&str> = rel.split('/').collect();
    let allowed = match segments.as_slice() {
        [top] => *top == "index.html" || TOP_LEVEL.contains(top) || *top == SERVICE_WORKER,
        [top, _, ..] => *top == "www" || *top == "bench",
        _ => false,
    };
    if !allowed || !segments.iter().all(|s| plain_segment(s)) {
        return Err(NOT_FOUND);
    }
    let mut full = root.to_path_buf();
    let mut is_file = false;
    for segment in segments {
        full.push(segment);
        let kind = std::fs::symlink_metadata(&full).map_err(|_| NOT_FOUND)?.file_type();
        if kind.is_symlink() {
            return Err(NOT_FOUND);
        }
        is_file = kind.is_file();
    }
    if is_file {
        Ok(full)
    } else {
        Err(NOT_FOUND)
    }
}
