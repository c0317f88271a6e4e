//! What the page is made of, wherever it is served: the files at the top level beside `www/`,
//! which of `www/` ship, and the security policies every response carries. `cargo xtask serve`,
//! `dist` and the offline copy's list (offline.rs) all take them from here.

/// The files at the top level that the page needs besides `www/`.
pub const TOP_LEVEL: [&str; 2] = ["index.html", "manifest.webmanifest"];
/// The service worker, at the top level so that its scope covers the page.
pub const SERVICE_WORKER: &str = "sw.js";

/// The page's Content-Security-Policy: sent on every response here, written to `dist/_headers`,
/// and the same string as the page's `<meta http-equiv="Content-Security-Policy">`.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The homework's sandbox, the one file served with a policy of its own.
pub const SANDBOX: &str = "www/homework/sandbox.html";

/// The sandbox's policy: an opaque origin whatever embeds it (`sandbox allow-scripts`), only its
/// own inline script (by its hash: changing the script means changing the hash here and in its
/// `<meta>` tag; a test checks both), a `blob:` worker, no connection, no other script, framed by
/// the page only. The student's worker inherits it. The `<meta>` tag carries the same policy but
/// the last two directives, which a `<meta>` tag cannot carry.
pub const SANDBOX_CSP: &str = "default-src 'none'; script-src 'sha256-cBS4IQGnUYtZlWA+SnBcK8uUHznTOKQdQgytWubn4fc='; worker-src blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox allow-scripts";

/// Whether a file or folder of www/ belongs on the host (and in the offline copy, offline.rs).
pub fn shipped(name: &str, is_dir: bool) -> bool {
    let type_check = name.ends_with(".d.ts") || (name.starts_with("tsconfig") && name.ends_with(".json"));
    let left_out = name.starts_with('.') || type_check || (is_dir && name == "tests");
    !left_out
}
