//! The HTTP the development server speaks: the request line read, and whole responses written
//! with the page's security headers (its Content-Security-Policy on every one).

use super::CSP;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Status(pub(super) u16, pub(super) &'static str);

pub(super) const OK: Status = Status(200, "OK");
pub(super) const BAD_REQUEST: Status = Status(400, "Bad Request");
pub(super) const NOT_FOUND: Status = Status(404, "Not Found");
pub(super) const METHOD_NOT_ALLOWED: Status = Status(405, "Method Not Allowed");
pub(super) const REQUEST_TIMEOUT: Status = Status(408, "Request Timeout");
pub(super) const HEAD_TOO_LARGE: Status = Status(431, "Request Header Fields Too Large");

/// The method and target of `METHOD TARGET HTTP/1.x`.
pub(super) fn parse_request_line(head: &[u8]) -> Result<(&str, &str), Status> {
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = std::str::from_utf8(line).map_err(|_| BAD_REQUEST)?.trim_end_matches('\r');
    match line.split(' ').collect::<Vec<_>>().as_slice() {
        [method, target, version] if !method.is_empty() && !target.is_empty() && version.starts_with("HTTP/1.") => Ok((*method, *target)),
        _ => Err(BAD_REQUEST),
    }
}

/// A whole response: the head, and the body unless `with_body` is false (HEAD), in which case
/// Content-Length is still the length of the body GET would get.
pub(super) fn response(status: Status, content_type: &str, body: &[u8], with_body: bool, extra_headers: &str) -> Vec<u8> {
    response_with(status, content_type, body, with_body, extra_headers, CSP)
}

/// A response carrying the policy `csp`.
pub(super) fn response_with(status: Status, content_type: &str, body: &[u8], with_body: bool, extra_headers: &str, csp: &str) -> Vec<u8> {
    let Status(code, reason) = status;
    let head = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\
         Content-Security-Policy: {csp}\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n\
         {extra_headers}Connection: close\r\n\r\n",
        body.len()
    );
    let mut out = head.into_bytes();
    if with_body {
        out.extend_from_slice(body);
    }
    out
}

pub(super) fn error_response(status: Status, with_body: bool) -> Vec<u8> {
    let extra = if status == METHOD_NOT_ALLOWED { "Allow: GET, HEAD\r\n" } else { "" };
    response(status, "text/plain; charset=utf-8", format!("{}\n", status.1).as_bytes(), with_body, extra)
}
