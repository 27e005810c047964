//! Runs a compiled filter on one dissected packet.
//!
//! Values are visited through callbacks rather than collected, so matching a
//! packet allocates nothing for fields, constants, slices and integer
//! arithmetic; only functions that build strings (`upper`, `string`) and
//! multi-range slices allocate.

use super::ast::{RangeEnd, RangeNode};
use super::check;
use super::error::FilterError;
use super::fast::{Fast, holds, is_expert};
use super::parser;
use super::program::{CmpOp, Func, How, Operand, Test};
use super::types::FType;
use super::val::{self, Bytes, Val};
use crate::dissect::{Dissection, FieldSet, Node, Value, ws};
use crate::tcp::PacketPredicate;
use std::cmp::Ordering;

/// A compiled display filter.
#[derive(Debug, Clone)]
pub struct Filter {
    test: Option<Test>,
    /// The test in the fast path's form, when it has one.
    fast: Option<Fast>,
    fields: FieldSet,
    uses_layers: bool,
}

impl Filter {
    /// Compiles `text`, or says what is wrong in tshark 4.0's words.
    pub fn compile(text: &str) -> Result<Filter, FilterError> {
        let expr = parser::parse(text)?;
        let checked = check::check(text, expr.as_ref())?;
        Ok(Filter {
            fast: checked.test.as_ref().and_then(Fast::of),
            test: checked.test,
            fields: checked.fields,
            uses_layers: checked.uses_layers,
        })
    }

    /// A dissection that keeps what this filter reads and nothing else (protocol
    /// layers are numbered only when the filter selects fields by layer).
    pub fn dissection<'a>(&self) -> Dissection<'a> {
        let d = Dissection::new(crate::dissect::Want::Fields(self.fields()), false, false);
        if self.uses_layers {
            d
        } else {
            d.without_layers()
        }
    }

    /// Whether the filter runs on the fast path ([`Fast`]).
    #[cfg(test)]
    pub(crate) fn has_fast_path(&self) -> bool {
        self.fast.is_some()
    }

    /// Every field and protocol the filter reads: dissect with
    /// `Want::Fields(filter.fields())` and nothing else is stored.
    pub fn fields(&self) -> FieldSet {
        self.fields.clone()
    }

    /// Whether the packet passes. `frame` is the packet's captured bytes, which
    /// protocol slices and `contains` read (`frame contains "GET"`).
    pub fn matches(&self, d: &Dissection<'_>, frame: &[u8]) -> bool {
        if let Some(answer) = self.fast.as_ref().and_then(|f| f.test(&d.nodes)) {
            return answer;
        }
        match &self.test {
            None => true,
            Some(test) => Cx { d, frame }.test(test),
        }
    }
}

/// The load evaluates a filter through this trait, so that `tcp` does not import
/// `filter` (the layers point one way).
impl PacketPredicate for Filter {
    fn fields(&self) -> FieldSet {
        Filter::fields(self)
    }

    fn dissection<'a>(&self) -> Dissection<'a> {
        Filter::dissection(self)
    }

    fn matches(&self, d: &Dissection<'_>, frame: &[u8]) -> bool {
        Filter::matches(self, d, frame)
    }
}

/// What evaluation reads: the dissection and the frame's bytes.
struct Cx<'d, 'a> {
    d: &'d Dissection<'a>,
    frame: &'d [u8],
}

/// A value visitor; returns `true` to stop.
type Visit<'f> = dyn FnMut(&Val<'_>) -> bool + 'f;

impl Cx<'_, '_> {
    fn test(&self, t: &Test) -> bool {
        match t {
            // The two commonest tests (`tcp.analysis.flags`, `tcp.flags.syn == 1`) on a
            // plain field, without the general visitors: they run on every packet of
            // a million-packet capture.
            Test::Exists(Operand::Field {
                id, layers: None, ..
            }) if !is_expert(*id) => self.d.nodes.iter().any(|n| n.field == *id),
            Test::Cmp {
                how: How::Any,
                op,
                lhs:
                    Operand::Field {
                        id,
                        ftype,
                        layers: None,
                        ..
                    },
                rhs: Operand::Const(c),
            } if !is_expert(*id) => self
                .d
                .nodes
                .iter()
                .any(|n| n.field == *id && compare_with(*op, &self.node_val(n, *ftype), c)),
            Test::Or(v) => v.iter().any(|t| self.test(t)),
            Test::And(v) => v.iter().all(|t| self.test(t)),
            Test::Not(a) => !self.test(a),
            Test::Exists(op) => match op {
                Operand::Arith { .. } | Operand::Neg(_) => self.each(op, &mut |v| v.is_nonzero()),
                _ => self.each(op, &mut |_| true),
            },
            Test::Cmp { how, op, lhs, rhs } => {
                self.pairs(*how, lhs, rhs, &mut |a, b| compare_with(*op, a, b))
            }
            Test::Contains { all, lhs, rhs } => {
                let how = if *all { How::All } else { How::Any };
                self.pairs(how, lhs, rhs, &mut |a, b| val::contains(a, b))
            }
            Test::Matches { all, lhs, regex } => {
                let matches = |v: &Val<'_>| v.search_bytes().is_some_and(|b| regex.is_match(b));
                if *all {
                    let mut seen = false;
                    let failed = self.each(lhs, &mut |v| {
                        seen = true;
                        !matches(v)
                    });
                    seen && !failed
                } else {
                    self.each(lhs, &mut |v| matches(v))
                }
            }
            Test::In { all, lhs, set } => {
                let in_set = |v: &Val<'_>| {
                    set.iter().any(|(lo, hi)| match hi {
                        None => self.each(lo, &mut |e| val::compare(v, e) == Some(Ordering::Equal)),
                        Some(hi) => {
                            self.each(lo, &mut |l| {
                                matches!(
                                    val::compare(v, l),
                                    Some(Ordering::Greater | Ordering::Equal)
                                )
                            }) && self.each(hi, &mut |h| {
                                matches!(val::compare(v, h), Some(Ordering::Less | Ordering::Equal))
                            })
                        }
                    })
                };
                if *all {
                    let mut seen = false;
                    let failed = self.each(lhs, &mut |v| {
                        seen = true;
                        !in_set(v)
                    });
                    seen && !failed
                } else {
                    self.each(lhs, &mut |v| in_set(v))
                }
            }
        }
    }

    /// Applies `pred` to every (left, right) pair as `how` says. A side with no
    /// values makes the test false whatever the operator.
    fn pairs(
        &self,
        how: How,
        lhs: &Operand,
        rhs: &Operand,
        pred: &mut dyn FnMut(&Val<'_>, &Val<'_>) -> bool,
    ) -> bool {
        let mut seen = false;
        let mut hit = false;
        self.each(lhs, &mut |a| {
            self.each(rhs, &mut |b| {
                seen = true;
                let ok = pred(a, b);
                match how {
                    How::Any | How::NoneOf => {
                        hit = ok;
                        ok
                    }
                    How::All => {
                        hit = !ok;
                        !ok
                    }
                }
            })
        });
        match how {
            How::Any => hit,
            How::All | How::NoneOf => seen && !hit,
        }
    }

    /// Visits every value of `op`; `true` if `f` stopped the visit.
    fn each(&self, op: &Operand, f: &mut Visit<'_>) -> bool {
        match op {
            Operand::Field { id, .. } if is_expert(*id) => {
                // Expert items are collected beside the tree, not as nodes.
                for expert in &self.d.experts {
                    let v = if *id == ws::EXPERT {
                        Val::None
                    } else {
                        Val::Str(Bytes::Borrowed(expert.message.as_bytes()))
                    };
                    if f(&v) {
                        return true;
                    }
                }
                false
            }
            Operand::Field {
                id,
                ftype,
                proto,
                layers,
            } => {
                // Layers counted from the end (`#[-1]`, `#[2:]`) need the total.
                let count = match layers {
                    Some(_) => self.d.nodes.iter().filter(|n| n.field == *proto).count(),
                    None => 0,
                };
                for node in self.d.nodes.iter().filter(|n| n.field == *id) {
                    if let Some(l) = layers
                        && !layer_selected(node.layer, l, count)
                    {
                        continue;
                    }
                    if f(&self.node_val(node, *ftype)) {
                        return true;
                    }
                }
                false
            }
            Operand::Reference => false,
            Operand::Const(v) => f(v),
            Operand::Slice { base, ranges } => self.each(base, &mut |v| {
                let Some(bytes) = v.slice_bytes() else {
                    return false;
                };
                match slice(bytes.as_slice(), ranges) {
                    Some(cut) => f(&Val::Bytes(cut)),
                    None => false,
                }
            }),
            Operand::Arith { op, lhs, rhs } => self.each(lhs, &mut |a| {
                self.each(rhs, &mut |b| match val::arith(*op, a, b) {
                    Some(r) => f(&r),
                    None => false,
                })
            }),
            Operand::Neg(inner) => self.each(inner, &mut |a| match val::negate(a) {
                Some(r) => f(&r),
                None => false,
            }),
            Operand::Call { func, args } => self.call(*func, args, f),
        }
    }

    fn call(&self, func: Func, args: &[Operand], f: &mut Visit<'_>) -> bool {
        let Some(arg) = args.first() else {
            return false;
        };
        match func {
            Func::Len(width) => self.each(arg, &mut |v| f(&Val::U(v.byte_len(width)))),
            Func::Count => {
                let mut n = 0u64;
                self.each(arg, &mut |_| {
                    n += 1;
                    false
                });
                n > 0 && f(&Val::U(n))
            }
            Func::Upper | Func::Lower => self.each(arg, &mut |v| {
                let Val::Str(b) = v else { return false };
                let s = b.as_slice();
                let out = if func == Func::Upper {
                    s.to_ascii_uppercase()
                } else {
                    s.to_ascii_lowercase()
                };
                f(&Val::Str(Bytes::Owned(out)))
            }),
            Func::String => self.each(arg, &mut |v| {
                let text = string_repr(v);
                f(&Val::Str(Bytes::Owned(text.into_bytes())))
            }),
            Func::Abs => self.each(arg, &mut |v| match val::absolute(v) {
                Some(r) => f(&r),
                None => false,
            }),
            Func::Max | Func::Min => {
                let want = if func == Func::Max {
                    Ordering::Greater
                } else {
                    Ordering::Less
                };
                let mut best: Option<Val<'static>> = None;
                for arg in args {
                    self.each(arg, &mut |v| {
                        let better = match &best {
                            None => true,
                            Some(b) => val::compare(v, b) == Some(want),
                        };
                        if better {
                            best = Some(v.to_static());
                        }
                        false
                    });
                }
                best.is_some_and(|b| f(&b))
            }
        }
    }

    /// A tree node's value as the filter sees it.
    fn node_val<'n>(&'n self, node: &'n Node<'_>, ftype: FType) -> Val<'n> {
        match (&node.value, ftype) {
            (_, FType::Protocol) => {
                let src = self.d.source_bytes(self.frame, node.source);
                let start = usize::try_from(node.start).unwrap_or(usize::MAX);
                let len = usize::try_from(node.len).unwrap_or(usize::MAX);
                let full = src.get(start..).unwrap_or_default();
                let item = full.get(..len).unwrap_or(full);
                Val::Proto { item, full }
            }
            (Value::UInt(v), FType::Bool) => Val::Bool(*v != 0),
            (Value::UInt(v), _) => Val::U(*v),
            (Value::Bool(b), FType::Bool) => Val::Bool(*b),
            (Value::Bool(b), _) => Val::U(u64::from(*b)),
            (Value::Int(v), _) => Val::I(*v),
            (Value::Float(v), _) => Val::F(*v),
            (Value::Time(t), FType::AbsTime) => Val::Abs(*t),
            (Value::Time(t), _) => Val::Rel(*t),
            (Value::Frame(n), _) => Val::U(u64::from(*n)),
            (Value::Ipv4(a), _) => Val::V4 {
                addr: u32::from_be_bytes(*a),
                mask: u32::MAX,
            },
            (Value::Ipv6(a), _) => Val::V6 {
                addr: *a,
                prefix: 128,
            },
            (Value::Ether(a), _) => Val::Bytes(Bytes::Borrowed(a)),
            (Value::Bytes(b), _) => Val::Bytes(Bytes::Borrowed(b)),
            // tshark's filters see `frame.protocols` without its leading
            // `frame:` (`-T fields` prints it with).
            (Value::Str(b), _) if node.field == crate::dissect::frame::PROTOCOLS => {
                Val::Str(Bytes::Borrowed(b.strip_prefix(b"frame:").unwrap_or(b)))
            }
            (Value::Str(b), _) => Val::Str(Bytes::Borrowed(b)),
            (Value::None, _) => Val::None,
        }
    }
}

/// Whether `id` reads the expert items, which are kept beside the tree.
/// Whether layer `layer` (1-based) is among `ranges`, given `count` layers.
fn layer_selected(layer: u8, ranges: &[RangeNode], count: usize) -> bool {
    let layer = i64::from(layer);
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    let abs = |i: i64| if i < 0 { count + 1 + i } else { i };
    ranges.iter().any(|r| {
        let first = abs(r.start);
        let last = match r.end {
            RangeEnd::Length(n) => first.saturating_add(n - 1),
            RangeEnd::Offset(e) => abs(e),
            RangeEnd::ToEnd => count,
        };
        (first..=last).contains(&layer)
    })
}

/// Cuts `ranges` out of `bytes` (drange semantics): `None` if any range falls
/// outside, so the value is skipped as Wireshark skips it.
fn slice<'b>(bytes: &'b [u8], ranges: &[RangeNode]) -> Option<Bytes<'b>> {
    let len = i64::try_from(bytes.len()).ok()?;
    let cut = |r: &RangeNode| -> Option<&'b [u8]> {
        let start = if r.start < 0 { len + r.start } else { r.start };
        if start < 0 || start > len {
            return None;
        }
        let count = match r.end {
            RangeEnd::Length(n) => {
                if start.checked_add(n)? > len {
                    return None;
                }
                n
            }
            RangeEnd::Offset(e) => {
                let end = if e < 0 { len + e } else { e };
                if end < start || end >= len {
                    return None;
                }
                end - start + 1
            }
            RangeEnd::ToEnd => len - start,
        };
        if count <= 0 {
            return None;
        }
        let from = usize::try_from(start).ok()?;
        let to = usize::try_from(start + count).ok()?;
        bytes.get(from..to)
    };
    match ranges {
        [one] => cut(one).map(Bytes::Borrowed),
        many => {
            let mut out = Vec::new();
            for r in many {
                out.extend_from_slice(cut(r)?);
            }
            Some(Bytes::Owned(out))
        }
    }
}

fn compare_with(op: CmpOp, a: &Val<'_>, b: &Val<'_>) -> bool {
    val::compare(a, b).is_some_and(|ord| holds(op, ord))
}

/// `string()`: the value as a display filter would write it.
fn string_repr(v: &Val<'_>) -> String {
    match v {
        Val::U(x) => x.to_string(),
        Val::I(x) => x.to_string(),
        Val::F(x) => x.to_string(),
        Val::Bool(b) => u8::from(*b).to_string(),
        Val::V4 { addr, .. } => std::net::Ipv4Addr::from(*addr).to_string(),
        Val::V6 { addr, .. } => std::net::Ipv6Addr::from(*addr).to_string(),
        Val::Bytes(b) => crate::dissect::value::hex_text(b.as_slice(), Some(':')),
        Val::Str(b) => String::from_utf8_lossy(b.as_slice()).into_owned(),
        Val::Abs(t) | Val::Rel(t) => crate::dissect::value::rel_time_text(*t),
        Val::Proto { .. } | Val::None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::Want;
    use crate::tcp::Loaded;

    /// Frame numbers of `capture` (in tests/captures) that pass `filter`,
    /// dissecting only the fields the filter asks for.
    fn select(capture: &str, filter: &str) -> Vec<usize> {
        let path = crate::dissect::testing::capture_path(capture);
        let loaded = Loaded::open(&path).unwrap();
        let analysis = loaded.analysis();
        let f = Filter::compile(filter).unwrap();
        let mut d: Dissection<'static> = Dissection::new(Want::Fields(f.fields()), false, false);
        let mut out = Vec::new();
        for i in 0..loaded.len() {
            let mut dd = d.recycle();
            loaded.dissect_into(i, None, &analysis, &mut dd).unwrap();
            let (_, bytes) = loaded.capture.packet(i).unwrap();
            if f.matches(&dd, bytes) {
                out.push(i + 1);
            }
            d = dd.recycle();
        }
        out
    }

    fn clean(filter: &str) -> Vec<usize> {
        select("tcp_clean_close.pcap", filter)
    }

    const TCP: [usize; 10] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18];

    // Expected frames below come from tshark 4.0.17 on the same capture
    // (docs/tshark-semantics.md section 6 and runs of `tshark -Y`).
    #[test]
    fn multi_occurrence_semantics() {
        assert_eq!(clean("ip.addr == 10.10.0.1"), TCP);
        assert_eq!(clean("ip.addr != 10.10.0.1"), Vec::<usize>::new());
        assert_eq!(clean("ip.addr === 10.10.0.1"), Vec::<usize>::new());
        assert_eq!(clean("ip.addr !== 10.10.0.1"), TCP);
        assert_eq!(clean("ip.addr ~= 10.10.0.1"), TCP);
        assert_eq!(clean("ip.addr != 10.10.0.99"), TCP);
        assert_eq!(
            clean("!(ip.addr == 10.10.0.1)"),
            [1, 2, 3, 4, 5, 6, 7, 8, 19]
        );
        assert_eq!(
            clean("ip.dst not in {10.10.0.2}"),
            [1, 2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 17, 19]
        );
        assert_eq!(clean("all tcp.port > 1024"), TCP);
        assert_eq!(clean("tcp.srcport > tcp.dstport"), [9, 11, 12, 15, 16, 18]);
    }

    #[test]
    fn booleans_exist_when_false() {
        assert_eq!(clean("tcp.flags.syn"), TCP);
        assert_eq!(
            clean("tcp.flags.syn && !tcp.flags.ack"),
            Vec::<usize>::new()
        );
        assert_eq!(clean("tcp.flags.syn == True"), [9, 10]);
        assert_eq!(clean("tcp.flags.syn == 2"), [9, 10]);
        assert_eq!(
            clean("tcp.flags.syn == \"Not set\""),
            [11, 12, 13, 14, 15, 16, 17, 18]
        );
        assert_eq!(clean("tcp.flags & 0x12 == 0x12"), [10]);
        assert_eq!(clean("tcp.analysis"), [10, 11, 12, 13, 14, 15, 17, 18]);
        assert_eq!(clean("tcp.analysis.flags"), Vec::<usize>::new());
    }

    #[test]
    fn bytes_strings_and_regexes() {
        assert_eq!(clean("tcp.payload contains \"get\""), Vec::<usize>::new());
        assert_eq!(clean("tcp.payload contains \"GET\""), [12]);
        assert_eq!(clean("tcp.payload[3:1] == 20"), [12]);
        assert_eq!(clean("frame contains \"GET\""), [12]);
        assert_eq!(clean("eth contains 47:45:54"), [12]);
        assert_eq!(clean("http.request.method matches \"^g\""), [12]);
        assert_eq!(
            clean("http.request.method matches \"(?-i)^g\""),
            Vec::<usize>::new()
        );
        assert_eq!(clean("tcp.payload[-2:] == 0d:0a"), [12]);
        assert_eq!(clean("frame[0] & 0x0f == 6"), [9, 11, 12, 15, 16, 18]);
        assert_eq!(clean("tcp[32:3] == \"GET\""), Vec::<usize>::new());
        assert_eq!(clean("eth.dst == 468a.8972.3fd1"), [9, 11, 12, 15, 16, 18]);
    }

    #[test]
    fn arithmetic_functions_layers() {
        assert_eq!(clean("tcp.seq + 1 == 2"), [11, 12, 13, 14]);
        assert_eq!(clean("frame.number - 2 < 0"), [1]);
        assert_eq!(clean("frame.number == -1 + 2"), [1]);
        assert_eq!(clean("frame.number == 2 + -1"), Vec::<usize>::new());
        assert_eq!(clean("frame.number - 1 && frame.number < 3"), [2]);
        assert_eq!(clean("tcp.srcport != -1"), TCP);
        assert_eq!(clean("tcp.srcport !== -1"), Vec::<usize>::new());
        assert_eq!(
            clean("max(tcp.srcport, tcp.dstport) == 10805"),
            Vec::<usize>::new()
        );
        assert_eq!(clean("min(tcp.srcport, tcp.dstport) == 10805"), TCP);
        assert_eq!(
            clean("count(tcp.option_kind) == 3"),
            [11, 12, 13, 14, 15, 16, 17, 18]
        );
        assert_eq!(clean("len(tcp.payload) == 18"), [12]);
        assert_eq!(clean("len(tcp) == 40"), [9, 10]);
        assert_eq!(clean("ip.src#1 == 10.10.0.1"), [9, 11, 12, 15, 16, 18]);
        assert_eq!(clean("ip.addr#2 == 10.10.0.1"), Vec::<usize>::new());
        assert_eq!(clean("ip.src#[-1] == 10.10.0.1"), [9, 11, 12, 15, 16, 18]);
        assert_eq!(clean("ip.addr == 10.10.0.0/24"), TCP);
        assert_eq!(clean("ipv6.dst == ff02::/8"), [1, 2, 3, 4, 5, 6, 19]);
        assert_eq!(
            clean("frame.len in {60..70, 84}"),
            [3, 6, 11, 12, 13, 15, 16, 17, 18]
        );
        assert_eq!(clean("frame[100]"), [1, 2, 4, 5, 14, 19]);
        assert_eq!(
            clean("string(ip.src) == \"10.10.0.1\""),
            [9, 11, 12, 15, 16, 18]
        );
        assert_eq!(
            clean("frame.number==1 or frame.number==2 and frame.number==3"),
            [1]
        );
        assert_eq!(clean(""), (1..=19).collect::<Vec<_>>());
    }

    #[test]
    fn http_names_and_sets() {
        let http = |f| select("http_keepalive.pcap", f);
        assert_eq!(http("http.request.method == GET"), [10, 16, 21, 32]);
        assert_eq!(
            http("http.request.method in {\"GET\", \"HEAD\"}"),
            [10, 16, 21, 32]
        );
        assert_eq!(http("http.response.code in {200..299}"), [14, 20, 24]);
        assert_eq!(http("http.response.code == 404"), [36]);
        assert_eq!(
            http("http.request.uri matches \"\\\\.html$\""),
            [10, 16, 21]
        );
        assert_eq!(
            http("lower(http.request.method) == \"get\""),
            [10, 16, 21, 32]
        );
    }

    /// Every prefix and every one-byte corruption of these filters compiles or
    /// fails cleanly, and what compiles runs on real packets without panicking.
    #[test]
    fn prefixes_and_corruptions_never_panic() {
        let filters = [
            r#"tcp.flags & 0x12 == 0x12 && !(ip.addr in {10.0.0.0/8, 192.168.1.1..192.168.1.9})"#,
            r#"http.request.uri matches r"^/\w+\.html$" || frame[-4:2,1-2] contains 0d:0a"#,
            r#"all ip.src#[-1] != ${ip.dst} and max(tcp.srcport, len(tcp.payload) + 1) > -3"#,
            r#"frame.time >= "Nov 24, 2026 23:56:21.3" && upper(http.host) == 'x' ~ "A""#,
        ];
        let noise = b"\"'()[]{}#:.-!=<>&|~$,0aZ \x80";
        let path = crate::dissect::testing::capture_path("tcp_clean_close.pcap");
        let loaded = Loaded::open(&path).unwrap();
        let analysis = loaded.analysis();
        let run = |text: &str| {
            if let Ok(f) = Filter::compile(text) {
                for i in [8, 11] {
                    let mut d = Dissection::new(Want::All, false, false);
                    loaded.dissect_into(i, None, &analysis, &mut d).unwrap();
                    let (_, bytes) = loaded.capture.packet(i).unwrap();
                    let _matched = f.matches(&d, bytes);
                }
            }
        };
        for filter in filters {
            for end in (0..=filter.len()).filter(|e| filter.is_char_boundary(*e)) {
                run(&filter[..end]);
            }
            let bytes = filter.as_bytes();
            for at in 0..bytes.len() {
                for &b in noise.iter() {
                    let mut v = bytes.to_vec();
                    v[at] = b;
                    run(&String::from_utf8_lossy(&v));
                }
            }
        }
    }

    #[test]
    fn fields_lists_what_the_filter_reads() {
        let f = Filter::compile("tcp.port == 80 || len(http.host) > 3 && frame[0] == 1").unwrap();
        let set = f.fields();
        for name in ["tcp.port", "http.host", "frame"] {
            assert!(
                set.contains(crate::dissect::registry::lookup(name).unwrap()),
                "{name}"
            );
        }
        assert!(!set.contains(crate::dissect::registry::lookup("tcp").unwrap()));
    }
}
