//! Wireshark's own pseudo-fields: text lines, expert items, malformed markers.

use super::field::kinds::*;

crate::define_fields! { after 0;
    TEXT = "_ws.text", "Text item", NONE;
    EXPERT = "_ws.expert", "Expert Info", NONE;
    EXPERT_MESSAGE = "_ws.expert.message", "Message", STR;
    MALFORMED = "_ws.malformed", "Malformed Packet", PROTO;
    UNREASSEMBLED = "_ws.unreassembled", "Unreassembled Fragmented Packet", PROTO;
    SHORT = "_ws.short", "Packet size limited during capture", PROTO;
    // The name tshark's protocol hierarchy gives a text item at the top of the tree
    // (ARP's duplicate address subtree), counted as a layer.
    TEXT_LAYER = "text", "Text item", NONE;
}
