//! Unit tests of HTTP's dissection of the test captures' frames.

use crate::dissect::testing::{field, with_frame};

/// http_keepalive.pcap frame 10: a GET with headers.
#[test]
fn request_fields() {
    with_frame("http_keepalive.pcap", 10, |d| {
        assert_eq!(field(d, "http.request.method"), "GET");
        assert_eq!(field(d, "http.request.uri"), "/page0.html");
        assert_eq!(field(d, "http.request.version"), "HTTP/1.1");
        assert_eq!(field(d, "http.host"), "10.10.0.2:15759");
        assert_eq!(field(d, "http.user_agent"), "curl/7.88.1");
        assert_eq!(
            field(d, "http.request.full_uri"),
            "http://10.10.0.2:15759/page0.html"
        );
        assert_eq!(d.columns.info, "GET /page0.html HTTP/1.1 ");
        assert_eq!(d.columns.protocol, "HTTP");
    });
}

/// http_auth_cond.pcap frame 10: the Basic credentials decoded; cut inside the
/// Authorization line, the header is incomplete and nothing is decoded.
#[test]
fn basic_credentials() {
    with_frame("http_auth_cond.pcap", 10, |d| {
        assert_eq!(field(d, "http.authbasic"), "student:lab-pass");
        assert_eq!(d.columns.info, "GET /secret HTTP/1.1 ");
    });
    crate::dissect::testing::with_truncated("http_auth_cond.pcap", 10, 120, |d| {
        assert_eq!(field(d, "http.authbasic"), "");
    });
}

/// Bodies that lie: a chunk size past any real body, gzip that is not gzip.
#[test]
fn impossible_bodies() {
    assert_eq!(
        super::chunked_len(b"fffffffffffffff\r\nxx"),
        super::PduLen::NotMine
    );
    assert_eq!(super::basic_credentials(b"Basic !!!"), None);
}
