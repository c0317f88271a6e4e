//! A small static file server for local development: 127.0.0.1 only, GET/HEAD, `index.html`,
//! the manifest and the service worker beside it, `www/` and `bench/` (the benchmark's page, see `cargo xtask bench`). Not for production:
//! `cargo xtask dist` writes a folder for a real static host.
//!
//! Defences, since other local programs can reach 127.0.0.1 too: at most `MAX_CONNECTIONS` open
//! at once, each on its own thread, and when a new one comes the oldest is closed if it has had
//! half a second (so slow clients can never starve a prompt one; a browser opens six per host), a deadline to receive
//! the request head and one to send the response, a 16 KiB / 100-line cap on the head, no symlinks, no `..` (percent-encoded or not),
//! no dotfiles, and a strict Content-Security-Policy on every response.

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

mod files;
mod http;
#[cfg(test)]
mod tests;

use crate::site::{CSP, SANDBOX, SANDBOX_CSP};
use files::{content_type, resolve};
use http::*;

/// The request line and headers together, in bytes, and the number of header lines.
const MAX_HEAD: usize = 16 * 1024;
const MAX_HEADER_LINES: usize = 100;
/// Connections open at once; a new one beyond that closes the oldest, once that one has had
/// `GRACE` (a prompt request is answered well within it; until then the new one waits).
const MAX_CONNECTIONS: usize = 64;
const GRACE: Duration = Duration::from_millis(500);
/// Default time a client has to send its request head, and again to take the response.
const TIMEOUT: Duration = Duration::from_secs(10);
/// Pause after a failed accept (out of file descriptors, say) instead of retrying at once.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// After answering, what is left of the request is read and dropped (so that closing does not
/// reset the connection before the client read the answer), at most this much for this long.
const DRAIN_MAX: usize = 1 << 20;
const DRAIN_TIME: Duration = Duration::from_secs(2);

pub struct Server {
    listener: TcpListener,
    root: PathBuf,
    timeout: Duration,
    max_connections: usize,
}

/// The open connections, oldest first, each with when it came and a handle to close it.
#[derive(Default)]
struct Open {
    next_id: u64,
    streams: VecDeque<(u64, Instant, TcpStream)>,
}

impl Open {
    /// Registers `stream` if fewer than `max` are open, first closing the oldest if it has had
    /// `GRACE`: Ok(its id, for `forget`), or Err(how long until the oldest has had it).
    fn admit(&mut self, stream: &TcpStream, max: usize) -> Result<u64, Duration> {
        if self.streams.len() >= max {
            let (_, since, oldest) = self.streams.front().expect("max > 0");
            let waited = since.elapsed();
            if waited < GRACE {
                return Err(GRACE - waited);
            }
            // its thread's read or write fails at once, and the thread ends
            let _ = oldest.shutdown(Shutdown::Both);
            self.streams.pop_front();
        }
        self.next_id += 1;
        // without a handle it cannot be closed early, only by its deadlines
        if let Ok(handle) = stream.try_clone() {
            self.streams.push_back((self.next_id, Instant::now(), handle));
        }
        Ok(self.next_id)
    }

    fn forget(&mut self, id: u64) {
        self.streams.retain(|(i, _, _)| *i != id);
    }
}

impl Server {
    /// Binds 127.0.0.1:`port` (0 picks a free port) to serve the repository.
    pub fn bind(port: u16) -> Result<Server, String> {
        Server::bind_root(port, crate::root())
    }

    /// Binds 127.0.0.1:`port` to serve `root`'s `index.html`, `www/` and `bench/`.
    pub fn bind_root(port: u16, root: impl Into<PathBuf>) -> Result<Server, String> {
        let listener =
            TcpListener::bind(("127.0.0.1", port)).map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e} (try --port with another number)"))?;
        Ok(Server { listener, root: root.into(), timeout: TIMEOUT, max_connections: MAX_CONNECTIONS })
    }

    /// The time a client has to send its request head, and again to take the response (10 s).
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn with_timeout(mut self, timeout: Duration) -> Server {
        assert!(!timeout.is_zero(), "a zero timeout would refuse everything");
        self.timeout = timeout;
        self
    }

    /// The number of connections open at once (64); a new one beyond it closes the oldest.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn with_max_connections(mut self, max: usize) -> Server {
        assert!(max > 0, "a server needs a connection");
        self.max_connections = max;
        self
    }

    pub fn addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("bound")
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.addr().port())
    }

    pub fn run_forever(self) {
        let Server { listener, root, timeout, max_connections } = self;
        let root = Arc::new(root);
        let open = Arc::new(Mutex::new(Open::default()));
        let mut failing = false;
        loop {
            match listener.accept() {
                Ok((stream, _)) => {
                    failing = false;
                    let id = loop {
                        match open.lock().unwrap_or_else(PoisonError::into_inner).admit(&stream, max_connections) {
                            Ok(id) => break id,
                            Err(wait) => std::thread::sleep(wait.min(Duration::from_millis(10))),
                        }
                    };
                    let (registry, root) = (Arc::clone(&open), Arc::clone(&root));
                    let spawned = std::thread::Builder::new().spawn(move || {
                        // a bug in one request must not take the server down
                        let _ = panic::catch_unwind(AssertUnwindSafe(|| respond(stream, &root, timeout)));
                        registry.lock().unwrap_or_else(PoisonError::into_inner).forget(id);
                    });
                    if spawned.is_err() {
                        eprintln!("xtask serve: cannot start a thread for a connection; closing it");
                        open.lock().unwrap_or_else(PoisonError::into_inner).forget(id);
                    }
                }
                Err(e) => {
                    if !failing {
                        eprintln!("xtask serve: accept failed: {e} (retrying every {} ms)", ACCEPT_BACKOFF.as_millis());
                        failing = true;
                    }
                    std::thread::sleep(ACCEPT_BACKOFF);
                }
            }
        }
    }
}

/// Sets a socket timeout to what is left until `deadline`; false when nothing is left.
fn time_left(deadline: Instant, set: impl FnOnce(Option<Duration>) -> io::Result<()>) -> bool {
    let left = deadline.saturating_duration_since(Instant::now());
    !left.is_zero() && set(Some(left)).is_ok()
}

/// An interrupted call or a socket timeout: try again if the deadline allows.
fn is_retry(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
}

/// Reads the request line and headers: at most MAX_HEAD bytes and MAX_HEADER_LINES header lines,
/// all by `deadline`, never more than MAX_HEAD bytes in memory. Err(None): the client left or
/// sent nothing in time, close quietly; Err(Some(status)): answer that.
fn read_head(stream: &mut TcpStream, deadline: Instant) -> Result<Vec<u8>, Option<Status>> {
    let mut buf = vec![0u8; MAX_HEAD];
    let (mut len, mut lines, mut line_start) = (0, 0, 0);
    loop {
        if len == buf.len() {
            return Err(Some(HEAD_TOO_LARGE));
        }
        if !time_left(deadline, |t| stream.set_read_timeout(t)) {
            // nothing at all (a browser's spare connection, say): close without a word
            return Err((len > 0).then_some(REQUEST_TIMEOUT));
        }
        let n = match stream.read(&mut buf[len..]) {
            Ok(0) => return Err(None),
            Ok(n) => n,
            // a timeout: the deadline check above decides (a socket timeout may end a hair early)
            Err(e) if is_retry(&e) => continue,
            Err(_) => return Err(None),
        };
        for i in len..len + n {
            if buf[i] != b'\n' {
                continue;
            }
            let line = &buf[line_start..i];
            if line.is_empty() || line == b"\r" {
                // the blank line ends the head; one before the request line is a broken request
                if lines == 0 {
                    return Err(Some(BAD_REQUEST));
                }
                buf.truncate(i + 1);
                return Ok(buf);
            }
            lines += 1;
            if lines > MAX_HEADER_LINES + 1 {
                return Err(Some(HEAD_TOO_LARGE));
            }
            line_start = i + 1;
        }
        len += n;
    }
}

/// Writes all of `bytes` by `deadline`: one write unless the kernel takes only part of it.
fn write_by(stream: &mut TcpStream, mut bytes: &[u8], deadline: Instant) -> io::Result<()> {
    while !bytes.is_empty() {
        if !time_left(deadline, |t| stream.set_write_timeout(t)) {
            return Err(io::ErrorKind::TimedOut.into());
        }
        match stream.write(bytes) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if is_retry(&e) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Sends `bytes`, then closes gracefully: FIN first, then whatever the client still sends
/// (a body, the rest of an oversized head) is read and dropped until it closes too. Closing with
/// unread input would send a reset, which can destroy the answer before the client reads it.
fn send_and_close(mut stream: TcpStream, bytes: &[u8], timeout: Duration) {
    if write_by(&mut stream, bytes, Instant::now() + timeout).is_err() || stream.shutdown(Shutdown::Write).is_err() {
        return;
    }
    let deadline = Instant::now() + timeout.min(DRAIN_TIME);
    let (mut sink, mut drained) = ([0u8; 4096], 0);
    while drained < DRAIN_MAX && time_left(deadline, |t| stream.set_read_timeout(t)) {
        match stream.read(&mut sink) {
            Ok(0) => return,
            Ok(n) => drained += n,
            Err(e) if is_retry(&e) => {}
            Err(_) => return,
        }
    }
}

fn respond(mut stream: TcpStream, root: &Path, timeout: Duration) {
    // Each response goes out in one write with Nagle off: split writes would each wait ~40 ms
    // for the browser's delayed ACK, which made the page's many small modules load slowly.
    if stream.set_nodelay(true).is_err() {
        return;
    }
    let head = match read_head(&mut stream, Instant::now() + timeout) {
        Ok(head) => head,
        Err(None) => return,
        Err(Some(status)) => return send_and_close(stream, &error_response(status, true), timeout),
    };
    let answer = match parse_request_line(&head) {
        Err(status) => error_response(status, true),
        Ok((method, _)) if method != "GET" && method != "HEAD" => error_response(METHOD_NOT_ALLOWED, true),
        Ok((method, target)) => {
            let with_body = method == "GET";
            match resolve(root, target).and_then(|path| std::fs::read(&path).map(|body| (path, body)).map_err(|_| NOT_FOUND)) {
                Ok((path, body)) => {
                    let csp = if path == root.join(SANDBOX) { SANDBOX_CSP } else { CSP };
                    response_with(OK, content_type(&path), &body, with_body, "", csp)
                }
                Err(status) => error_response(status, with_body),
            }
        }
    };
    send_and_close(stream, &answer, timeout);
}
