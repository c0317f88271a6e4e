//! The server over real TCP, each test on its own port over its own temporary folder: what it
//! serves and refuses, and with which headers, here; how it treats slow, idle, oversized and many
//! connections, in `connections.rs`.

use super::files::percent_decode;
use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};

mod connections;

/// How long a client waits for an answer that must come: generous, for a loaded machine.
const ANSWER: Duration = Duration::from_secs(30);

const INDEX: &str = "<!doctype html><title>test page</title>\n";
const APP: &str = "export const answer = 42;\n";
const WASM: &[u8] = b"\0asm\x01\0\0\0";
const SECRET: &str = "top secret, never served\n";

/// A temporary folder, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("xtask-serve-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A served folder: `site/` with the page, and next to it `outside/` and files the server must
/// never give out (`site/Cargo.toml`, dotfiles, anything reached through a symlink).
fn site(name: &str) -> (TempDir, PathBuf) {
    let tmp = TempDir::new(name);
    let root = tmp.0.join("site");
    write(&root.join("index.html"), INDEX.as_bytes());
    write(&root.join("www/app.js"), APP.as_bytes());
    write(&root.join("sw.js"), APP.as_bytes());
    write(&root.join("manifest.webmanifest"), b"{}");
    write(&root.join("www/icons/icon.svg"), b"<svg/>");
    write(&root.join("www/icons/icon-192.png"), b"\x89PNG");
    write(&root.join("www/pkg/m.wasm"), WASM);
    write(&root.join("www/.hidden"), SECRET.as_bytes());
    write(&root.join("bench/index.html"), b"<title>bench</title>\n");
    write(&root.join("Cargo.toml"), SECRET.as_bytes());
    write(&tmp.0.join("outside/secret.txt"), SECRET.as_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(tmp.0.join("outside/secret.txt"), root.join("www/link.txt")).unwrap();
        symlink(tmp.0.join("outside"), root.join("www/linkdir")).unwrap();
        symlink("app.js", root.join("www/inner-link.js")).unwrap();
    }
    (tmp, root)
}

fn start(root: &Path, timeout: Duration, max_connections: usize) -> SocketAddr {
    let server = Server::bind_root(0, root).unwrap().with_timeout(timeout).with_max_connections(max_connections);
    let addr = server.addr();
    assert_eq!(server.url(), format!("http://127.0.0.1:{}/", addr.port()));
    std::thread::spawn(move || server.run_forever());
    addr
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        let mut found = self.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name));
        let value = found.next().map(|(_, v)| v.as_str());
        assert!(found.next().is_none(), "{name} sent twice");
        value
    }

    fn content_length(&self) -> usize {
        self.header("Content-Length").expect("Content-Length").parse().unwrap()
    }

    /// The headers every response must carry.
    fn assert_hardened(&self) {
        assert_eq!(self.header("Content-Security-Policy"), Some(CSP), "{self:?}");
        assert_eq!(self.header("X-Content-Type-Options"), Some("nosniff"));
        assert_eq!(self.header("Referrer-Policy"), Some("no-referrer"));
        assert_eq!(self.header("Connection"), Some("close"));
    }
}

fn parse(bytes: &[u8]) -> Reply {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(bytes)));
    let head = std::str::from_utf8(&bytes[..end]).unwrap();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let mut parts = status_line.splitn(3, ' ');
    assert_eq!(parts.next(), Some("HTTP/1.1"));
    let status = parts.next().unwrap().parse().unwrap();
    let headers = lines.map(|l| l.split_once(": ").unwrap()).map(|(n, v)| (n.to_string(), v.to_string())).collect();
    Reply { status, headers, body: bytes[end + 4..].to_vec() }
}

/// Everything the server sends until it closes the connection, cleanly: no reset.
fn read_all(stream: &mut TcpStream) -> Vec<u8> {
    stream.set_read_timeout(Some(ANSWER)).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap_or_else(|e| panic!("{e} after {:?}", String::from_utf8_lossy(&bytes)));
    bytes
}

fn send(addr: SocketAddr, raw: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(raw).unwrap();
    parse(&read_all(&mut stream))
}

fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
    send(addr, format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: test\r\n\r\n").as_bytes())
}

#[test]
fn the_policy_is_the_one_the_page_declares() {
    assert_eq!(
        CSP,
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    );
}

#[test]
fn get_root_is_index_html_with_the_security_headers() {
    let (_tmp, root) = site("root");
    let addr = start(&root, ANSWER, 4);
    let reply = request(addr, "GET", "/");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, INDEX.as_bytes());
    assert_eq!(reply.content_length(), INDEX.len());
    assert_eq!(reply.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert_eq!(reply.header("Cache-Control"), Some("no-cache"));
    reply.assert_hardened();
    assert_eq!(request(addr, "GET", "/index.html").body, INDEX.as_bytes());
}

#[test]
fn files_under_www_and_bench_are_served_with_their_type() {
    let (_tmp, root) = site("files");
    let addr = start(&root, ANSWER, 4);
    for (target, body, content_type) in [
        ("/www/app.js", APP.as_bytes(), "text/javascript; charset=utf-8"),
        ("/www/app.js?v=2#x", APP.as_bytes(), "text/javascript; charset=utf-8"),
        ("/www/app%2Ejs", APP.as_bytes(), "text/javascript; charset=utf-8"),
        ("/www/pkg/m.wasm", WASM, "application/wasm"),
        ("/bench/index.html", b"<title>bench</title>\n", "text/html; charset=utf-8"),
        // the service worker, the manifest and its icons (sw.js at the top: its scope is the page)
        ("/sw.js", APP.as_bytes(), "text/javascript; charset=utf-8"),
        ("/manifest.webmanifest", b"{}", "application/manifest+json"),
        ("/www/icons/icon.svg", b"<svg/>", "image/svg+xml"),
        ("/www/icons/icon-192.png", b"\x89PNG", "image/png"),
    ] {
        let reply = request(addr, "GET", target);
        assert_eq!((reply.status, reply.body.as_slice()), (200, body), "{target}");
        assert_eq!(reply.header("Content-Type"), Some(content_type), "{target}");
        assert_eq!(reply.content_length(), body.len(), "{target}");
        reply.assert_hardened();
    }
}

#[test]
fn traversal_absolute_and_odd_paths_are_refused() {
    let (_tmp, root) = site("traversal");
    let addr = start(&root, ANSWER, 4);
    for (target, status) in [
        ("/Cargo.toml", 404),
        ("/../Cargo.toml", 404),
        ("/www/../Cargo.toml", 404),
        ("/www/../../outside/secret.txt", 404),
        ("/%2e%2e/Cargo.toml", 404),
        ("/%2E%2E/Cargo.toml", 404),
        ("/%2e%2e%2fCargo.toml", 404),
        ("/www/%2e%2e/%2e%2e/etc/passwd", 404),
        ("/www/%2e%2e/Cargo.toml", 404),
        ("/www/./app.js", 404),
        ("//etc/passwd", 404),
        ("//www/app.js", 404),
        ("/www//app.js", 404),
        ("/%2fetc/passwd", 404),
        ("/www\\..\\Cargo.toml", 404),
        ("/www/%5c..%5cCargo.toml", 404),
        ("/www/..%5cCargo.toml", 404),
        ("/www/app.js%00.html", 404),
        ("/www/.hidden", 404),
        // only those two files at the top level besides index.html
        ("/sw.js/", 404),
        ("/www/sw.js", 404),
        ("/Sw.js", 404),
        ("/manifest.json", 404),
        ("/www/%2ehidden", 404),
        ("/www", 404),
        ("/www/", 404),
        ("/www/pkg", 404),
        ("/www/missing.js", 404),
        ("/etc/passwd", 404),
        ("/www/%ff.js", 404),
        ("/www/%zz", 400),
        ("/www/app.js%2", 400),
        ("www/app.js", 400),
        ("http://127.0.0.1/index.html", 400),
    ] {
        let reply = request(addr, "GET", target);
        assert_eq!(reply.status, status, "{target}");
        assert!(!String::from_utf8_lossy(&reply.body).contains("secret"), "{target}");
        assert_eq!(reply.body.len(), reply.content_length(), "{target}");
        reply.assert_hardened();
    }
}

#[cfg(unix)]
#[test]
fn symlinks_are_refused_even_inside_www() {
    let (_tmp, root) = site("symlinks");
    // the links work on the file system: only the server refuses them
    assert_eq!(std::fs::read_to_string(root.join("www/link.txt")).unwrap(), SECRET);
    assert_eq!(std::fs::read_to_string(root.join("www/linkdir/secret.txt")).unwrap(), SECRET);
    let addr = start(&root, ANSWER, 4);
    for target in ["/www/link.txt", "/www/linkdir/secret.txt", "/www/inner-link.js", "/www/linkdir"] {
        let reply = request(addr, "GET", target);
        assert_eq!(reply.status, 404, "{target}");
        assert!(!String::from_utf8_lossy(&reply.body).contains("secret"), "{target}");
    }
    assert_eq!(request(addr, "GET", "/www/app.js").status, 200);
}

#[test]
fn other_methods_get_405_with_allow() {
    let (_tmp, root) = site("methods");
    let addr = start(&root, ANSWER, 4);
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "get"] {
        let reply = request(addr, method, "/index.html");
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("Allow"), Some("GET, HEAD"), "{method}");
        assert_eq!(reply.body, b"Method Not Allowed\n", "{method}");
        reply.assert_hardened();
    }
    // a request body is read and dropped, and the answer still arrives whole
    let body = "x".repeat(200_000);
    let raw = format!("POST /www/app.js HTTP/1.1\r\nContent-Length: {}\r\n\r\n{body}", body.len());
    let reply = send(addr, raw.as_bytes());
    assert_eq!((reply.status, reply.header("Allow")), (405, Some("GET, HEAD")));
}

#[test]
fn head_never_carries_a_body() {
    let (_tmp, root) = site("head");
    let addr = start(&root, ANSWER, 4);
    let reply = request(addr, "HEAD", "/www/app.js");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_length(), APP.len());
    assert_eq!(reply.header("Content-Type"), Some("text/javascript; charset=utf-8"));
    assert!(reply.body.is_empty(), "{:?}", reply.body);
    reply.assert_hardened();

    let get = request(addr, "GET", "/www/missing.js");
    let head = request(addr, "HEAD", "/www/missing.js");
    assert_eq!((get.status, head.status), (404, 404));
    assert_eq!(get.body, b"Not Found\n");
    assert_eq!(head.content_length(), get.body.len());
    assert!(head.body.is_empty(), "{:?}", head.body);
    head.assert_hardened();

    let head = request(addr, "HEAD", "/../Cargo.toml");
    assert_eq!(head.status, 404);
    assert!(head.body.is_empty());
}

#[test]
fn broken_request_lines_get_400() {
    let (_tmp, root) = site("broken");
    let addr = start(&root, ANSWER, 4);
    for raw in ["GARBAGE\r\n\r\n", "GET /\r\n\r\n", "GET / HTTP/2.0\r\n\r\n", "GET  / HTTP/1.1\r\n\r\n", "\r\n\r\n", "GET / HTTP/1.1 x\r\n\r\n"] {
        let reply = send(addr, raw.as_bytes());
        assert_eq!(reply.status, 400, "{raw:?}");
        reply.assert_hardened();
    }
    // bare LF line ends are accepted
    assert_eq!(send(addr, b"GET / HTTP/1.0\n\n").body, INDEX.as_bytes());
}

#[test]
fn percent_decoding() {
    assert_eq!(percent_decode("a%2e%2E%20b").as_deref(), Some(&b"a.. b"[..]));
    assert_eq!(percent_decode("%252e").as_deref(), Some(&b"%2e"[..]));
    assert_eq!(percent_decode("%00%ff").as_deref(), Some(&b"\0\xff"[..]));
    assert_eq!(percent_decode(""), Some(vec![]));
    assert_eq!(percent_decode("%"), None);
    assert_eq!(percent_decode("%2"), None);
    assert_eq!(percent_decode("%g0"), None);
    assert_eq!(percent_decode("%+1"), None);
}

#[test]
fn resolve_maps_paths_to_files() {
    let (_tmp, root) = site("resolve");
    assert_eq!(resolve(&root, "/"), Ok(root.join("index.html")));
    assert_eq!(resolve(&root, "/?x=1"), Ok(root.join("index.html")));
    assert_eq!(resolve(&root, "/www/pkg/m.wasm"), Ok(root.join("www/pkg/m.wasm")));
    assert_eq!(resolve(&root, "/www/%2e%2e/index.html"), Err(NOT_FOUND));
    assert_eq!(resolve(&root, "/www/a%00"), Err(NOT_FOUND));
    assert_eq!(resolve(&root, "*"), Err(BAD_REQUEST));
    // the percent sign itself, once decoded, is only a character
    write(&root.join("www/%2e"), b"odd");
    assert_eq!(resolve(&root, "/www/%252e"), Ok(root.join("www/%2e")));
}

#[test]
fn request_lines() {
    assert_eq!(parse_request_line(b"GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n"), Ok(("GET", "/a?b")));
    assert_eq!(parse_request_line(b"HEAD / HTTP/1.0\n\n"), Ok(("HEAD", "/")));
    assert_eq!(parse_request_line(b"GET / HTTP/1.1 \r\n\r\n"), Err(BAD_REQUEST));
    assert_eq!(parse_request_line(b"GET \xff HTTP/1.1\r\n\r\n"), Err(BAD_REQUEST));
}

/// The page's own <meta> policy (which holds on any static host) is the header's, less
/// `frame-ancestors`, which browsers ignore in a <meta> tag.
#[test]
fn the_page_carries_the_same_policy_as_the_header() {
    let html = std::fs::read_to_string(crate::root().join("index.html")).unwrap();
    let start =
        html.find("http-equiv=\"Content-Security-Policy\" content=\"").expect("a CSP meta tag") + "http-equiv=\"Content-Security-Policy\" content=\"".len();
    let meta = &html[start..start + html[start..].find('"').unwrap()];
    assert_eq!(format!("{meta}; frame-ancestors 'none'"), super::CSP);
}

/// The sandbox's header policy names its one inline script by its SHA-256, and its own <meta>
/// tag carries the same policy less `frame-ancestors` and `sandbox` (which a <meta> cannot carry).
#[test]
fn the_sandbox_policy_allows_exactly_its_own_script() {
    use sha2::{Digest, Sha256};
    let html = std::fs::read_to_string(crate::root().join(SANDBOX)).unwrap();
    let script = &html[html.find("<script>").unwrap() + "<script>".len()..html.find("</script>").unwrap()];
    assert_eq!(html.matches("<script").count(), 1, "one script in the sandbox");
    let hash = format!("'sha256-{}'", crate::offline::base64(&Sha256::digest(script.as_bytes())));
    assert!(SANDBOX_CSP.contains(&format!("script-src {hash};")), "{SANDBOX_CSP} lacks {hash}");
    let marker = "http-equiv=\"Content-Security-Policy\" content=\"";
    let start = html.find(marker).expect("a CSP meta tag") + marker.len();
    let meta = &html[start..start + html[start..].find('"').unwrap()];
    assert_eq!(format!("{meta}; frame-ancestors 'self'; sandbox allow-scripts"), SANDBOX_CSP);
    // no connection (default-src 'none' covers connect-src), no script by URL, never the page's origin
    assert!(SANDBOX_CSP.starts_with("default-src 'none';"));
    for d in ["connect-src", "script-src 'self'", "allow-same-origin", "unsafe"] {
        assert!(!SANDBOX_CSP.contains(d), "{d} in {SANDBOX_CSP}");
    }
}

#[test]
fn the_sandbox_alone_is_served_with_the_sandbox_policy() {
    let (_tmp, root) = site("sandbox");
    write(&root.join(SANDBOX), b"<!doctype html><title>sandbox</title>\n");
    let addr = start(&root, ANSWER, 4);
    let reply = request(addr, "GET", &format!("/{SANDBOX}"));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("Content-Security-Policy"), Some(SANDBOX_CSP));
    assert_eq!(reply.header("X-Content-Type-Options"), Some("nosniff"));
    for target in ["/", "/www/app.js"] {
        assert_eq!(request(addr, "GET", target).header("Content-Security-Policy"), Some(CSP), "{target}");
    }
}
