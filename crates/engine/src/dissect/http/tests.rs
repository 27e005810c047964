//! Unit tests of HTTP's message lengths and Info texts.

use super::*;

#[test]
fn pdu_lengths() {
    let req = b"GET / HTTP/1.0\r\n\r\n";
    assert_eq!(pdu_len(req), PduLen::Complete(req.len()));
    let resp = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel";
    assert_eq!(pdu_len(resp), PduLen::NeedMore(Some(43)));
    assert_eq!(pdu_len(b"HTTP/1.0 200 OK\r\n"), PduLen::NeedMore(None));
    let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
    assert_eq!(pdu_len(chunked), PduLen::Complete(chunked.len()));
    assert_eq!(
        partial_info(b"HTTP/1.1 200 OK\r\nA: b\r\n\r\nxx"),
        Some("HTTP/1.1 200 OK ".into())
    );
    // The headers still running on (cs_http_espn.pcapng frame 854): the first line
    // shows; a first line still cut does not.
    assert_eq!(
        partial_info(b"GET /b HTTP/1.1\r\nHost: x\r\nCookie: SW"),
        Some("GET /b HTTP/1.1 ".into())
    );
    assert_eq!(partial_info(b"GET /b HTT"), None);
    assert!(looks_like_http(b"GET /x HTTP/1.1"));
    assert!(!looks_like_http(b"GETX"));
}
