//! How the server treats connections: unread input, oversized heads, idle and slow clients,
//! a prompt request among slow ones, and many at once.

use super::*;

#[test]
fn unread_request_bytes_do_not_cut_a_large_answer_short() {
    // Closing a socket with unread input resets it and drops what is still unsent: the server
    // reads the rest of the request (here a body nobody asked for) before it closes.
    let (_tmp, root) = site("drain");
    let big: Vec<u8> = (0..4 << 20).map(|i: u32| (i % 251) as u8).collect();
    write(&root.join("www/big.bin"), &big);
    let addr = start(&root, ANSWER, 4);
    let body = "x".repeat(100_000);
    let reply = send(addr, format!("GET /www/big.bin HTTP/1.1\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_length(), big.len());
    assert!(reply.body == big, "{} of {} bytes", reply.body.len(), big.len());
}

#[test]
fn oversized_heads_are_refused() {
    let (_tmp, root) = site("limits");
    let addr = start(&root, ANSWER, 4);
    let long_header = format!("GET / HTTP/1.1\r\nX-Long: {}\r\n\r\n", "a".repeat(20 * 1024));
    let endless_line = format!("GET /{}", "a".repeat(256 * 1024)); // no newline at all
    let many_lines = |n: usize| format!("GET / HTTP/1.1\r\n{}\r\n", "X-Line: 1\r\n".repeat(n));
    for raw in [long_header, endless_line, many_lines(MAX_HEADER_LINES + 1), many_lines(1000)] {
        let reply = send(addr, raw.as_bytes());
        assert_eq!(reply.status, 431, "{}...", &raw[..40]);
        assert_eq!(reply.body, b"Request Header Fields Too Large\n");
        reply.assert_hardened();
    }
    // just within the limits
    assert_eq!(send(addr, many_lines(MAX_HEADER_LINES).as_bytes()).status, 200);
    let big = format!("GET / HTTP/1.1\r\nX-Long: {}\r\n\r\n", "a".repeat(MAX_HEAD - 100));
    assert_eq!(send(addr, big.as_bytes()).status, 200);
    // and the server still answers
    assert_eq!(request(addr, "GET", "/").body, INDEX.as_bytes());
}

#[test]
fn idle_clients_do_not_block_others() {
    let (_tmp, root) = site("idle");
    // a long timeout: the idle connections stay open for the whole test
    let timeout = Duration::from_secs(20);
    let addr = start(&root, timeout, 8);
    let idle: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(addr).unwrap()).collect();
    let mut partial = TcpStream::connect(addr).unwrap();
    partial.write_all(b"GET / HTTP/1.1\r\nX-Slow: ").unwrap();
    let start = Instant::now();
    let reply = request(addr, "GET", "/www/app.js");
    assert_eq!((reply.status, reply.body.as_slice()), (200, APP.as_bytes()));
    // had it waited for an idle connection, it would have taken the whole timeout
    assert!(start.elapsed() < timeout / 2, "{:?}", start.elapsed());
    drop(idle);
}

#[test]
fn idle_and_slow_connections_are_closed_after_the_timeout() {
    let (_tmp, root) = site("timeout");
    let timeout = Duration::from_millis(300);
    let addr = start(&root, timeout, 4);

    // silent: closed without an answer
    let start = Instant::now();
    let mut silent = TcpStream::connect(addr).unwrap();
    assert!(read_all(&mut silent).is_empty());
    let waited = start.elapsed();
    assert!(waited >= timeout && waited < ANSWER, "{waited:?}");

    // an unfinished head: 408
    let start = Instant::now();
    let mut slow = TcpStream::connect(addr).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\n").unwrap();
    let reply = parse(&read_all(&mut slow));
    assert_eq!(reply.status, 408);
    reply.assert_hardened();
    assert!(start.elapsed() >= timeout);

    // a byte every 50 ms: the deadline is for the whole head, not for each read
    let start = Instant::now();
    let mut trickle = TcpStream::connect(addr).unwrap();
    let mut writer = trickle.try_clone().unwrap();
    let trickler = std::thread::spawn(move || {
        let _ = writer.write_all(b"GET / HTTP/1.1\r\n");
        for _ in 0..200 {
            if writer.write_all(b"X").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    let reply = parse(&read_all(&mut trickle));
    let waited = start.elapsed();
    assert_eq!(reply.status, 408);
    // per-read timeouts would have lasted as long as the trickle: 200 x 50 ms = 10 s
    assert!(waited >= timeout && waited < Duration::from_secs(8), "{waited:?}");
    drop(trickle);
    trickler.join().unwrap();

    // the server is still there
    assert_eq!(request(addr, "GET", "/").status, 200);
}

#[test]
fn slow_connections_never_starve_a_prompt_request() {
    let (_tmp, root) = site("starve");
    // a long timeout: every slow connection could hold its thread for the whole test
    let timeout = Duration::from_secs(30);
    let addr = start(&root, timeout, 16);
    // 80 clients that each send half a head, then a byte now and then, and never finish
    let mut slow: Vec<TcpStream> = Vec::new();
    for _ in 0..80 {
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nX-Slow: ").unwrap();
        slow.push(s);
    }
    let started = Instant::now();
    let reply = request(addr, "GET", "/www/app.js");
    assert_eq!((reply.status, reply.body.as_slice()), (200, APP.as_bytes()));
    // waiting for a slow connection's deadline would take the whole 30 s
    assert!(started.elapsed() < timeout / 2, "{:?}", started.elapsed());
    // the oldest slow ones made room: the server closed them
    let mut first = slow.remove(0);
    first.set_read_timeout(Some(ANSWER)).unwrap();
    let mut byte = [0u8; 1];
    assert!(matches!(first.read(&mut byte), Ok(0) | Err(_)), "the oldest slow connection is still open");
}

#[test]
fn many_concurrent_requests_are_all_answered() {
    let (_tmp, root) = site("concurrent");
    let addr = start(&root, ANSWER, 4);
    let clients: Vec<_> = (0..100).map(|i| std::thread::spawn(move || request(addr, "GET", if i % 2 == 0 { "/" } else { "/www/app.js" }))).collect();
    for (i, client) in clients.into_iter().enumerate() {
        let reply = client.join().unwrap();
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body, if i % 2 == 0 { INDEX.as_bytes() } else { APP.as_bytes() });
    }
}
