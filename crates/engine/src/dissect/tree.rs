//! The result of dissecting one packet: a flat, depth-annotated field tree plus the
//! summary columns, filled by the protocol dissectors.
//!
//! The same dissector code serves every consumer. The detail pane and `dump -V` ask
//! for everything with labels; `dump -T fields` and the display filter ask only for the
//! fields they name ([`Want::Fields`]), so values nobody reads are never stored and
//! labels are never formatted.

pub use super::field_set::{FieldSet, Want};
pub use super::node::{EXPERT_ITEM, Expert, GENERATED, HIDDEN, Node, Severity, default_label};

use super::field::{FieldDef, FieldId};
use super::registry;
use super::value::Value;
use std::borrow::Cow;

/// The summary columns of one packet.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// Protocol column (the highest protocol that set it).
    pub protocol: Cow<'static, str>,
    /// Info column.
    pub info: String,
    /// Source column override (addresses are set by the network layers).
    pub source: String,
    /// Destination column.
    pub destination: String,
}

/// One packet's tree and columns.
#[derive(Debug)]
pub struct Dissection<'a> {
    want: Want,
    labels: bool,
    columns_on: bool,
    /// The items, in tree order (depth-first).
    pub nodes: Vec<Node<'a>>,
    /// The summary columns (filled only when asked for).
    pub columns: Columns,
    /// Extra data sources (reassembled payloads): name and bytes.
    pub sources: Vec<(String, Vec<u8>)>,
    depth: u8,
    /// Stack of open parents: (node index or usize::MAX when not stored).
    open: Vec<usize>,
    layer_counts: Vec<(FieldId, u8)>,
    /// Layer names for `frame.protocols` (`eth:ethertype:ip:tcp`).
    layer_names: Vec<&'static str>,
    /// Protocol items at the top level of the tree, in order (protocol hierarchy).
    pub top_protocols: Vec<FieldId>,
    /// Expert items, collected even when their nodes are not kept.
    pub experts: Vec<Expert>,
    source: u8,
    /// Dissecting the datagram quoted inside an ICMP error: no columns, no analysis.
    pub in_error: bool,
    /// The ids of protocol items (tracked even when not kept).
    protocols: &'static FieldSet,
    /// The fields kept and the protocol items, in one set, so that the commonest
    /// case of a filter's dissection (a field neither) costs one bit test.
    interest: FieldSet,
    /// Every field is kept ([`Want::All`]).
    keeps_all: bool,
    /// Some field may be kept, so protocol layers must be counted (for `f#n`).
    counts_layers: bool,
    /// The protocols some of whose fields are kept (with [`Want::Fields`]).
    protocols_kept: FieldSet,
    /// Layers are not numbered ([`Self::without_layers`]).
    layers_off: bool,
    /// Expert items are collected whatever the fields kept ([`Self::with_experts`]).
    experts_on: bool,
    /// Bytes at the start of the Info column that later Info texts keep (tshark's
    /// fence after TCP's analysis prefixes, "[TCP Previous segment not captured] ").
    info_fence: usize,
    /// The Info column was set (not only appended to) in this dissection: a scratch
    /// dissection's Info then replaces its parent's, else it is appended to it.
    info_replaced: bool,
}

impl<'a> Dissection<'a> {
    /// A dissection keeping everything, with labels and columns (detail tree, `-V`).
    pub fn full() -> Self {
        Self::new(Want::All, true, true)
    }

    /// A dissection with the given wants.
    pub fn new(want: Want, labels: bool, columns: bool) -> Self {
        let counts_layers = match &want {
            Want::All => true,
            Want::Fields(set) => !set.is_empty(),
        };
        let mut protocols_kept = FieldSet::new();
        let protocols = registry::protocols();
        let mut interest = FieldSet::new();
        if let Want::Fields(set) = &want {
            // The protocols' words copied, not their hundreds of ids inserted one by
            // one: the load pass makes a dissection per reassembled message.
            interest.clone_from(protocols);
            for id in set.ids() {
                interest.insert(id);
            }
            for id in set.ids() {
                protocols_kept.insert(registry::protocol_of(id));
            }
        }
        let keeps_all = matches!(want, Want::All);
        Self {
            want,
            labels,
            columns_on: columns,
            nodes: Vec::new(),
            columns: Columns::default(),
            sources: Vec::new(),
            depth: 0,
            open: Vec::new(),
            layer_counts: Vec::new(),
            layer_names: Vec::new(),
            top_protocols: Vec::new(),
            experts: Vec::new(),
            source: 0,
            in_error: false,
            protocols,
            interest,
            keeps_all,
            counts_layers,
            protocols_kept,
            layers_off: false,
            experts_on: false,
            info_fence: 0,
            info_replaced: false,
        }
    }

    /// Stops numbering protocol layers (`ip.src#2`): a filter that selects no field by
    /// layer reads no layer number, and counting them costs every protocol item a
    /// search.
    pub fn without_layers(mut self) -> Self {
        self.layers_off = true;
        self
    }

    /// Collects expert items even when no kept field needs them: the load pass counts
    /// them while it evaluates a filter in passing.
    pub fn with_experts(mut self) -> Self {
        self.experts_on = true;
        self
    }

    /// Whether any field is kept at all. When none is (the load pass), dissectors skip
    /// building their subtrees and only find protocols, expert items, columns and the
    /// analysis; a protocol item is still added, since it is tracked regardless.
    #[inline(always)]
    pub fn keeps_fields(&self) -> bool {
        self.counts_layers
    }

    /// Whether some field of `protocol`'s table is kept: a dissector builds its subtree
    /// only then (a filter on `tcp.flags.syn` needs no Ethernet or IP fields).
    #[inline(always)]
    pub fn keeps_fields_of(&self, protocol: FieldId) -> bool {
        match &self.want {
            Want::All => true,
            Want::Fields(_) => self.protocols_kept.contains(protocol),
        }
    }

    /// Whether every field kept belongs to one of `protocols` (false for the whole
    /// tree).
    pub fn keeps_only_fields_of(&self, protocols: &[FieldId]) -> bool {
        match &self.want {
            Want::All => false,
            Want::Fields(_) => self.protocols_kept.ids().all(|p| protocols.contains(&p)),
        }
    }

    /// Whether expert items must be collected: for the tree, the load pass (its
    /// counts) and a filter on `_ws.expert`.
    pub fn wants_experts(&self) -> bool {
        if self.experts_on {
            return true;
        }
        match &self.want {
            Want::All => true,
            Want::Fields(set) => {
                set.is_empty()
                    || set.contains(super::ws::EXPERT)
                    || set.contains(super::ws::EXPERT_MESSAGE)
            }
        }
    }

    /// Clears the results for the next packet of the same lifetime, keeping
    /// allocations (cheaper than [`Self::recycle`], which moves the whole struct).
    pub fn clear(&mut self) {
        self.nodes.clear();
        self.columns.protocol = Cow::Borrowed("");
        self.columns.info.clear();
        self.columns.source.clear();
        self.columns.destination.clear();
        self.sources.clear();
        self.open.clear();
        self.layer_counts.clear();
        self.layer_names.clear();
        self.top_protocols.clear();
        self.experts.clear();
        self.depth = 0;
        self.source = 0;
        self.in_error = false;
        self.info_fence = 0;
        self.info_replaced = false;
    }

    /// Clears the results and rebinds to a new packet's lifetime, keeping allocations.
    pub fn recycle<'b>(mut self) -> Dissection<'b> {
        self.clear();
        // An empty Vec<Node<'a>> becomes an empty Vec<Node<'b>> in place (same layout).
        let nodes: Vec<Node<'b>> = self.nodes.into_iter().map(|_| unreachable_node()).collect();
        Dissection {
            want: self.want,
            labels: self.labels,
            columns_on: self.columns_on,
            nodes,
            columns: self.columns,
            sources: self.sources,
            depth: 0,
            open: self.open,
            layer_counts: self.layer_counts,
            layer_names: self.layer_names,
            top_protocols: self.top_protocols,
            experts: self.experts,
            source: 0,
            in_error: false,
            protocols: self.protocols,
            interest: self.interest,
            keeps_all: self.keeps_all,
            counts_layers: self.counts_layers,
            protocols_kept: self.protocols_kept,
            layers_off: self.layers_off,
            experts_on: self.experts_on,
            info_fence: 0,
            info_replaced: false,
        }
    }

    /// Whether labels are wanted (build custom label strings only then).
    #[inline]
    pub fn labels(&self) -> bool {
        self.labels
    }

    /// Whether summary columns are wanted.
    #[inline]
    pub fn columns_on(&self) -> bool {
        self.columns_on
    }

    /// Turns column updates on or off (off while dissecting a quoted datagram);
    /// returns the previous setting.
    pub fn set_columns_on(&mut self, on: bool) -> bool {
        std::mem::replace(&mut self.columns_on, on)
    }

    /// Whether `field` is kept.
    #[inline(always)]
    pub fn wants(&self, field: FieldId) -> bool {
        match &self.want {
            Want::All => true,
            Want::Fields(set) => set.contains(field),
        }
    }

    /// Whether any field of the protocol table `first..end` is kept (lets a caller skip
    /// a whole application-layer dissection).
    pub fn wants_any(&self, first: u16, end: u16) -> bool {
        match &self.want {
            Want::All => true,
            Want::Fields(set) => set.any_in(first, end),
        }
    }

    /// The data source items refer to now (0: the frame).
    pub fn current_source(&self) -> u8 {
        self.source
    }

    /// Sets the data source subsequent items refer to (0: the frame).
    pub fn set_source(&mut self, source: u8) {
        self.source = source;
    }

    /// Adds a reassembled data source and returns its number.
    pub fn add_source(&mut self, name: String, bytes: Vec<u8>) -> u8 {
        self.sources.push((name, bytes));
        u8::try_from(self.sources.len()).unwrap_or(u8::MAX)
    }

    /// [`Self::add_source`] with the name and bytes made only when some field is kept:
    /// with none (the load pass) no item can point into the source, and the number is
    /// given out for an empty one, so as not to copy every reassembled message.
    pub fn add_source_with(
        &mut self,
        name: impl FnOnce() -> String,
        bytes: impl FnOnce() -> Vec<u8>,
    ) -> u8 {
        if self.keeps_fields() {
            self.add_source(name(), bytes())
        } else {
            self.add_source(String::new(), Vec::new())
        }
    }

    fn layer_for(&mut self, field: FieldId, def: &FieldDef) -> u8 {
        let proto = registry::protocol_of(field);
        if def.is_protocol() {
            match self.layer_counts.iter_mut().find(|(p, _)| *p == proto) {
                Some((_, n)) => {
                    *n = n.saturating_add(1);
                    *n
                }
                None => {
                    self.layer_counts.push((proto, 1));
                    1
                }
            }
        } else {
            self.layer_counts
                .iter()
                .find(|(p, _)| *p == proto)
                .map_or(1, |(_, n)| *n)
        }
    }

    /// Whether an item for `field` is stored or tracked at all: the inlined fast path
    /// that lets unwanted fields cost two bit tests. When no field is kept (the load
    /// pass) a protocol item is only noted in [`Self::top_protocols`], here.
    #[inline(always)]
    fn keeps(&mut self, field: FieldId) -> bool {
        if !self.counts_layers {
            if self.depth == 0 && self.protocols.contains(field) {
                self.top_protocols.push(field);
            }
            return false;
        }
        if self.keeps_all {
            return true;
        }
        if !self.interest.contains(field) {
            return false;
        }
        if self.wants(field) {
            return true;
        }
        if self.layers_off {
            // A protocol item not kept, with no layers to count (a filter): only
            // noted, without the slow path's call.
            if self.depth == 0 {
                self.top_protocols.push(field);
            }
            return false;
        }
        true
    }

    #[inline(never)]
    fn push_node(
        &mut self,
        field: FieldId,
        start: usize,
        len: usize,
        value: Value<'a>,
        flags: u8,
        label: Option<String>,
    ) -> usize {
        let wanted = self.wants(field);
        let is_protocol = self.protocols.contains(field);
        if !wanted && !is_protocol {
            // The common case in filters and the load pass: two bit tests.
            return usize::MAX;
        }
        if is_protocol && self.depth == 0 {
            self.top_protocols.push(field);
        }
        if !wanted && !self.counts_layers {
            // Nothing is kept, so no field will ask which layer it belongs to.
            return usize::MAX;
        }
        if !wanted {
            if self.layers_off {
                return usize::MAX;
            }
            // A protocol item not kept still counts a layer for the fields after it.
            let def = registry::def(field);
            self.layer_for(field, def);
            return usize::MAX;
        }
        let layer = if self.layers_off {
            1
        } else {
            self.layer_for(field, registry::def(field))
        };
        self.nodes.push(Node {
            field,
            value,
            start: u32::try_from(start).unwrap_or(u32::MAX),
            len: u32::try_from(len).unwrap_or(u32::MAX),
            source: self.source,
            depth: self.depth,
            flags,
            layer,
            label,
            expert: None,
        });
        self.nodes.len() - 1
    }

    /// Adds a field at `start..start+len` with its generated label.
    #[inline(always)]
    pub fn add(&mut self, field: FieldId, start: usize, len: usize, value: Value<'a>) -> usize {
        self.add_flagged(field, (start, len), value, 0)
    }

    /// Adds an unsigned integer field at `start..start+len` (any width up to 64 bits,
    /// or a bool as 0 or 1) with its generated label.
    #[inline(always)]
    pub fn add_uint(
        &mut self,
        field: FieldId,
        start: usize,
        len: usize,
        value: impl Into<u64>,
    ) -> usize {
        self.add(field, start, len, Value::UInt(value.into()))
    }

    /// Adds a hidden field (filterable, not shown).
    #[inline(always)]
    pub fn add_hidden(
        &mut self,
        field: FieldId,
        start: usize,
        len: usize,
        value: Value<'a>,
    ) -> usize {
        self.add_flagged(field, (start, len), value, HIDDEN)
    }

    /// Adds a generated field (computed, shown in brackets).
    #[inline(always)]
    pub fn add_generated(
        &mut self,
        field: FieldId,
        start: usize,
        len: usize,
        value: Value<'a>,
    ) -> usize {
        self.add_flagged(field, (start, len), value, GENERATED)
    }

    /// Adds a field whose label the dissector writes (built only when labels are on).
    #[inline(always)]
    pub fn add_labeled(
        &mut self,
        field: FieldId,
        start: usize,
        len: usize,
        value: Value<'a>,
        label: impl FnOnce() -> String,
    ) -> usize {
        if !self.keeps(field) {
            return usize::MAX;
        }
        self.add_labeled_slow(field, (start, len), value, 0, label)
    }

    /// Adds a generated field with a custom label.
    #[inline(always)]
    pub fn add_generated_labeled(
        &mut self,
        field: FieldId,
        value: Value<'a>,
        label: impl FnOnce() -> String,
    ) -> usize {
        if !self.keeps(field) {
            return usize::MAX;
        }
        self.add_labeled_slow(field, (0, 0), value, GENERATED, label)
    }

    /// Adds a generated field with a custom label over `start..start+len` (of the
    /// current data source, e.g. a reassembled datagram).
    #[inline(always)]
    pub fn add_generated_labeled_at(
        &mut self,
        field: FieldId,
        (start, len): (usize, usize),
        value: Value<'a>,
        label: impl FnOnce() -> String,
    ) -> usize {
        if !self.keeps(field) {
            return usize::MAX;
        }
        self.add_labeled_slow(field, (start, len), value, GENERATED, label)
    }

    /// Adds an expert item that is an item of its own (an analysis flag): field
    /// `field` holds it for filters, `-V` prints it as Wireshark's expert subtree.
    pub fn add_expert_item(&mut self, field: FieldId, expert: Expert) -> usize {
        if !self.keeps(field) {
            self.experts.push(expert);
            return usize::MAX;
        }
        let message = expert.message.to_string();
        let node =
            self.add_labeled_slow(field, (0, 0), Value::None, GENERATED | EXPERT_ITEM, || {
                message
            });
        self.expert(node, expert);
        node
    }

    /// The fast path of the `add*` family: a field the dissection does not keep costs
    /// one check and no call.
    #[inline(always)]
    fn add_flagged(
        &mut self,
        field: FieldId,
        (start, len): (usize, usize),
        value: Value<'a>,
        flags: u8,
    ) -> usize {
        if !self.keeps(field) {
            return usize::MAX;
        }
        self.push_node(field, start, len, value, flags, None)
    }

    /// Kept out of line so that the label closure's code is not inlined at every
    /// call site.
    #[inline(never)]
    fn add_labeled_slow(
        &mut self,
        field: FieldId,
        (start, len): (usize, usize),
        value: Value<'a>,
        flags: u8,
        label: impl FnOnce() -> String,
    ) -> usize {
        let label = (self.labels && self.wants(field)).then(label);
        self.push_node(field, start, len, value, flags, label)
    }

    /// Adds a plain text line.
    pub fn text(&mut self, start: usize, len: usize, label: impl FnOnce() -> String) -> usize {
        if !self.labels {
            return usize::MAX;
        }
        let label = Some(label());
        self.push_node(super::ws::TEXT, start, len, Value::None, 0, label)
    }

    /// Attaches an expert item to the node `index` (as returned by `add`) and records
    /// it in [`Self::experts`].
    pub fn expert(&mut self, index: usize, expert: Expert) {
        if let Some(node) = self.nodes.get_mut(index) {
            node.expert = Some(Box::new(expert.clone()));
        }
        // tshark shows the items of a datagram quoted in an ICMP error but does not
        // count them.
        if !self.in_error {
            self.experts.push(expert);
        }
    }

    /// Counts a field added at the top level of the tree as a layer of the protocol
    /// hierarchy, as tshark counts the fields it wraps in a `fake-field-wrapper`.
    pub fn note_top_field(&mut self, field: FieldId) {
        if self.depth == 0 {
            self.top_protocols.push(field);
        }
    }

    /// Records a layer name for `frame.protocols`.
    pub fn push_layer(&mut self, name: &'static str) {
        self.layer_names.push(name);
    }

    /// Opens a protocol: adds its item `field` over `start..start+len`, records its
    /// layer name `layer` for `frame.protocols`, sets the Protocol column to `column`
    /// and makes the item the parent of the next ones, until [`Self::end`]. Returns
    /// the item.
    pub fn open_protocol(
        &mut self,
        field: FieldId,
        (start, len): (usize, usize),
        layer: &'static str,
        column: &'static str,
    ) -> usize {
        let item = self.add(field, start, len, Value::None);
        self.push_layer(layer);
        self.set_protocol(column);
        self.begin(item);
        item
    }

    /// `frame.protocols`: the layer names joined with colons.
    pub fn layers_joined(&self) -> String {
        self.layer_names.join(":")
    }

    /// The layer names recorded so far.
    pub fn layer_names(&self) -> &[&'static str] {
        &self.layer_names
    }

    /// Replaces the value of node `index`.
    pub fn set_value(&mut self, index: usize, value: Value<'a>) {
        if let Some(node) = self.nodes.get_mut(index) {
            node.value = value;
        }
    }

    /// Sets the byte length of node `index` (a section whose end is known only once
    /// its records are read).
    pub fn set_len(&mut self, index: usize, len: usize) {
        if let Some(node) = self.nodes.get_mut(index) {
            node.len = u32::try_from(len).unwrap_or(u32::MAX);
        }
    }

    /// Replaces the label of node `index`.
    pub fn set_label(&mut self, index: usize, label: impl FnOnce() -> String) {
        if !self.labels {
            return;
        }
        if let Some(node) = self.nodes.get_mut(index) {
            node.label = Some(label());
        }
    }

    /// Makes the last added item the parent of the next ones, until [`Self::end`].
    pub fn begin(&mut self, index: usize) {
        self.open.push(index);
        self.depth = self.depth.saturating_add(1);
    }

    /// Closes the innermost open item.
    pub fn end(&mut self) {
        self.open.pop();
        self.depth = self.depth.saturating_sub(1);
    }

    /// Runs `f` with items added one level down, as children of the protocol item
    /// added last (TCP's `TCP segment data`, added once the payload's fate is known
    /// and TCP's own subtree is closed), then restores the nesting.
    pub fn in_last_protocol<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        let depth = std::mem::replace(&mut self.depth, 1);
        let result = f(self);
        self.depth = depth;
        result
    }

    /// Runs `f` with items added at the top level of the tree (as Wireshark adds the
    /// markers of truncated and malformed packets), then restores the nesting.
    pub fn at_top_level<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        let depth = std::mem::replace(&mut self.depth, 0);
        let result = f(self);
        self.depth = depth;
        result
    }

    /// Moves the items from `start` on right behind the subtree of the last top-level
    /// `anchor` item before them, as tshark moves its reassembled-segments item behind
    /// the TCP tree once the message is dissected. Only the tree's order changes (the
    /// protocol hierarchy keeps the order of dissection); nothing moves while an item
    /// is open, since open items are known by their places.
    pub fn move_behind(&mut self, start: usize, anchor: FieldId) {
        self.move_span_behind(start, self.nodes.len(), anchor);
    }

    /// [`Self::move_behind`] for the items from `start` to `end` only (those after
    /// them stay where they are).
    pub fn move_span_behind(&mut self, start: usize, end: usize, anchor: FieldId) {
        let len = end.min(self.nodes.len());
        if !self.open.is_empty() || start >= len {
            return;
        }
        let Some(head) = self.nodes.get(..start).and_then(|before| {
            before
                .iter()
                .rposition(|n| n.depth == 0 && n.field == anchor)
        }) else {
            return;
        };
        let behind = self
            .nodes
            .get(head + 1..start)
            .and_then(|after| after.iter().position(|n| n.depth == 0))
            .map_or(start, |p| head + 1 + p);
        if let Some(moved) = self.nodes.get_mut(behind..len) {
            moved.rotate_right(len - start);
        }
    }

    /// Number of items so far: where the next item goes.
    pub fn item_count(&self) -> usize {
        self.nodes.len()
    }

    /// The first top-level item at or after `start`, or the item count.
    pub fn next_top_level(&self, start: usize) -> usize {
        self.nodes
            .get(start..)
            .and_then(|rest| rest.iter().position(|n| n.depth == 0))
            .map_or(self.nodes.len(), |p| start + p)
    }

    /// Runs `f` with the items it adds placed at the end of the subtree of `item` (an
    /// item added before them), as Wireshark adds a layer's padding or trailer once the
    /// payload is dissected; without such an item, where they fall.
    pub fn in_subtree<R>(&mut self, item: usize, f: impl FnOnce(&mut Self) -> R) -> R {
        let Some(depth) = self.nodes.get(item).map(|n| n.depth) else {
            return f(self);
        };
        let start = self.nodes.len();
        let result = self.at_depth(depth.saturating_add(1), f);
        self.move_into_subtree(start, item);
        result
    }

    /// Moves the items from `start` on to the end of the subtree of `item` (an item
    /// added before them), for items Wireshark adds to a layer's subtree after later
    /// layers were dissected (Ethernet's padding). Nothing moves while an item is open.
    pub fn move_into_subtree(&mut self, start: usize, item: usize) {
        let len = self.nodes.len();
        let Some(depth) = self.nodes.get(item).map(|n| n.depth) else {
            return;
        };
        if !self.open.is_empty() || start >= len || item >= start {
            return;
        }
        let end = self
            .nodes
            .get(item + 1..start)
            .and_then(|after| after.iter().position(|n| n.depth <= depth))
            .map_or(start, |p| item + 1 + p);
        if let Some(moved) = self.nodes.get_mut(end..) {
            moved.rotate_right(len - start);
        }
    }

    /// Runs `f` with items added at `depth`, then restores the nesting.
    pub fn at_depth<R>(&mut self, depth: u8, f: impl FnOnce(&mut Self) -> R) -> R {
        let depth = std::mem::replace(&mut self.depth, depth);
        let result = f(self);
        self.depth = depth;
        result
    }

    /// Closes every open item (back to protocol level).
    pub fn end_all(&mut self) {
        self.open.clear();
        self.depth = 0;
    }

    /// Sets the protocol column.
    #[inline(always)]
    pub fn set_protocol(&mut self, name: impl Into<Cow<'static, str>>) {
        if self.columns_on {
            self.columns.protocol = name.into();
        }
    }

    /// Replaces the info column. Inlined as far as the check: the load pass, which
    /// shows no columns, calls it for every layer of every packet.
    #[inline(always)]
    pub fn set_info(&mut self, info: impl FnOnce() -> String) {
        if self.columns_on {
            self.replace_info(info);
        }
    }

    /// The Info column after its fenced prefix becomes `info()` (out of line, with
    /// the text's formatting).
    #[inline(never)]
    fn replace_info(&mut self, info: impl FnOnce() -> String) {
        self.info_replaced = true;
        let text = info();
        let keep = self.info_fence.min(self.columns.info.len());
        if self.columns.info.is_char_boundary(keep) {
            self.columns.info.truncate(keep);
        } else {
            self.columns.info.clear();
        }
        self.columns.info.push_str(&text);
    }

    /// Puts text before the info column (tshark's analysis prefixes), behind a fence
    /// that later Info texts keep.
    pub fn prepend_info(&mut self, text: &str) {
        if self.columns_on {
            self.columns.info.insert_str(0, text);
            self.info_fence = self.info_fence.saturating_add(text.len());
        }
    }

    /// Whether the Info column holds fenced text (an analysis prefix): a protocol
    /// that appends with a separator (TLS's ", ") then writes it first.
    pub fn info_fenced(&self) -> bool {
        self.info_fence > 0
    }

    /// Appends text to the info column.
    pub fn append_info(&mut self, text: &str) {
        if self.columns_on {
            self.columns.info.push_str(text);
        }
    }

    /// Sets the source and destination columns.
    #[inline(always)]
    pub fn set_addresses(&mut self, source: impl FnOnce() -> (String, String)) {
        if self.columns_on {
            self.replace_addresses(source);
        }
    }

    /// The Source and Destination columns become `source()` (out of line).
    #[inline(never)]
    fn replace_addresses(&mut self, source: impl FnOnce() -> (String, String)) {
        let (src, dst) = source();
        self.columns.source = src;
        self.columns.destination = dst;
    }

    /// An empty dissection with the same wants, for dissecting bytes this tree cannot
    /// borrow (reassembled data); merge it back with [`Self::absorb`].
    pub fn scratch<'b>(&self) -> Dissection<'b> {
        let mut scratch = Dissection::new(self.want.clone(), self.labels, self.columns_on);
        scratch.in_error = self.in_error;
        scratch
    }

    /// Moves a scratch dissection's items under the current position of this one,
    /// copying their values, and takes over the columns it set.
    pub fn absorb(&mut self, other: Dissection<'_>) {
        for node in other.nodes {
            let depth = self.depth.saturating_add(node.depth);
            if node.depth == 0 && node.def().is_protocol() && self.depth == 0 {
                // Already recorded in the scratch's top-level list.
            }
            self.nodes.push(Node {
                field: node.field,
                value: node.value.into_owned(),
                start: node.start,
                len: node.len,
                source: self.source,
                depth,
                flags: node.flags,
                layer: node.layer,
                label: node.label,
                expert: node.expert,
            });
        }
        if self.depth == 0 {
            self.top_protocols.extend(other.top_protocols);
        }
        self.layer_names.extend(other.layer_names);
        self.experts.extend(other.experts);
        if self.columns_on {
            if !other.columns.protocol.is_empty() {
                self.columns.protocol = other.columns.protocol;
            }
            // What the scratch appended without setting the column (an exception's
            // "[Malformed Packet]") goes after this dissection's Info, as it would
            // have had the PDU been dissected in place.
            if !other.info_replaced {
                self.columns.info.push_str(&other.columns.info);
            } else if !other.columns.info.is_empty() {
                self.columns.info = other.columns.info;
            }
        }
    }

    /// Values of `field`, in tree order.
    pub fn values(&self, field: FieldId) -> impl Iterator<Item = &Value<'a>> + '_ {
        self.nodes
            .iter()
            .filter(move |n| n.field == field)
            .map(|n| &n.value)
    }

    /// The first value of `field`.
    pub fn first(&self, field: FieldId) -> Option<&Value<'a>> {
        self.values(field).next()
    }

    /// Whether `field` occurs.
    pub fn has(&self, field: FieldId) -> bool {
        self.nodes.iter().any(|n| n.field == field)
    }

    /// The bytes of data source `source` given the frame's bytes.
    pub fn source_bytes<'s>(&'s self, frame: &'s [u8], source: u8) -> &'s [u8] {
        match source {
            0 => frame,
            n => self
                .sources
                .get(usize::from(n) - 1)
                .map_or(&[][..], |(_, bytes)| bytes.as_slice()),
        }
    }
}

fn unreachable_node<'b>() -> Node<'b> {
    // Only called on an empty iterator.
    Node {
        field: super::ws::TEXT,
        value: Value::None,
        start: 0,
        len: 0,
        source: 0,
        depth: 0,
        flags: 0,
        layer: 0,
        label: None,
        expert: None,
    }
}
