//! The `synack` pseudo-protocol: each TCP packet's place in the handshake or the close,
//! both endpoints' RFC 9293 states, the seed's x/y/u/w relation and a plain sentence.
//! The analysis that decides them is `crate::tcp::handshake`; this only shows it.

use super::context::{PacketContext, TcpSegment};
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use std::borrow::Cow;

crate::define_fields! { after super::tcp::END;
    SYNACK = "synack", "synack teaching notes", PROTO;
    STEP = "synack.step", "Step", STR;
    SENDER_STATE = "synack.sender_state", "Sender state", STR;
    RECEIVER_STATE = "synack.receiver_state", "Receiver state", STR;
    RELATION = "synack.relation", "Relation", STR;
    EXPLAIN = "synack.explain", "Explanation", STR;
}

fn text(s: &str) -> Value<'static> {
    Value::Str(Cow::Owned(s.as_bytes().to_vec()))
}

/// Adds the teaching fields of the current TCP packet.
pub fn dissect(d: &mut Dissection<'_>, ctx: &PacketContext<'_>, segment: &TcpSegment<'_>) {
    if !d.wants_any(BASE, END) || d.in_error {
        return;
    }
    let Some(t) = ctx.analysis.and_then(|a| a.teaching(ctx.number, segment)) else {
        return;
    };
    let item = d.add_labeled(SYNACK, 0, 0, Value::None, || {
        let mut label = crate::tr!(
            "synack-label",
            step = t.step,
            sender = t.sender_state.name(),
            receiver = t.receiver_state.name()
        );
        if !t.relation.is_empty() {
            label.push_str(&crate::tr!(
                "synack-label-relation",
                relation = t.relation.as_str()
            ));
        }
        label
    });
    d.begin(item);
    d.add_generated(STEP, 0, 0, text(t.step));
    d.add_generated(SENDER_STATE, 0, 0, text(t.sender_state.name()));
    d.add_generated(RECEIVER_STATE, 0, 0, text(t.receiver_state.name()));
    if !t.relation.is_empty() {
        d.add_generated(RELATION, 0, 0, text(&t.relation));
    }
    d.add_generated(EXPLAIN, 0, 0, text(&t.explain));
    d.end();
}
