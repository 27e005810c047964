//! Statistics ▸ Conversations: one tab per table (Ethernet, IPv4, IPv6, TCP, UDP)
//! with packets and bytes each way, start, duration and bits per second, what
//! `synack stats -z conv,KIND` prints; TCP rows also say how complete the capture of
//! the connection is and both ends' final states. Computed on a worker; sortable;
//! a row's menu filters on it, follows it, or opens its ladder or stream graph.

use super::table::{self, Tabbed};
use super::{Inputs, StatsWindow, WindowRequest};
use crate::filter::Filter;
use crate::stats::{Conversation, ConversationTable, Endpoint, Kind, Traffic};
use crate::tcp::{Loaded, PacketPredicate};
use crate::ui::action::{Action, menu_item};
use eframe::egui;
use std::collections::HashMap;

/// What the worker computes: the five tables and, per TCP stream, its
/// completeness in words and the final states of A and B.
#[derive(Debug, Default)]
pub(super) struct Computed {
    /// Tables in [`Kind::ALL`] order.
    pub tables: Vec<ConversationTable>,
    /// `tcp.stream` → (completeness, "A state / B state").
    pub tcp: HashMap<u32, (String, String)>,
    /// The filter could not be compiled.
    pub error: Option<String>,
}

/// Computes the tables over `loaded` (its first `first` packets for a first look,
/// without the TCP rows' words then), limited to `filter` when given.
pub(super) fn compute(
    loaded: &Loaded,
    first: Option<usize>,
    filter: Option<&str>,
    with_tcp: bool,
) -> Computed {
    let compiled = match filter.map(Filter::compile) {
        Some(Err(e)) => {
            return Computed {
                error: Some(e.to_string()),
                ..Computed::default()
            };
        }
        Some(Ok(f)) => Some(f),
        None => None,
    };
    let limit = compiled.as_ref().map(|f| f as &dyn PacketPredicate);
    let traffic = match first {
        Some(n) => Traffic::compute_first(loaded, n, &Kind::ALL, limit),
        None => Traffic::compute(loaded, &Kind::ALL, limit),
    };
    let with_tcp = with_tcp && first.is_none();
    let tables = Kind::ALL
        .iter()
        .map(|k| traffic.table(*k).cloned().unwrap_or_default())
        .collect();
    let mut tcp = HashMap::new();
    if with_tcp {
        for c in crate::tcp::connections::summarize(loaded) {
            let first = loaded.tcp.streams.get(c.stream as usize).map(|s| s.first);
            // A is the sender of the stream's first packet; the summary's order is
            // client, server.
            let client_is_a =
                first.is_none_or(|(addr, port)| addr == c.client.addr && port == c.client.port);
            let [client, server] = c.final_states;
            let (a, b) = if client_is_a {
                (client, server)
            } else {
                (server, client)
            };
            tcp.insert(
                c.stream,
                (
                    c.completeness_words(),
                    format!("{} / {}", a.name(), b.name()),
                ),
            );
        }
    }
    Computed {
        tables,
        tcp,
        error: None,
    }
}

/// The display-filter text selecting `a`'s and `b`'s traffic in a table of `kind`:
/// both ways (`None`), or only from `a` to `b` (`Some(true)`) or back.
pub(super) fn filter_text(kind: Kind, a: &Endpoint, b: &Endpoint, way: Option<bool>) -> String {
    let (addr_field, port_field) = fields(kind, a);
    let side = |e: &Endpoint, dir: &str| {
        let addr = format!("{addr_field}.{dir} == {}", e.addr.numeric_text());
        match port_field {
            Some(p) => format!("{addr} && {p}.{dir}port == {}", e.port),
            None => addr,
        }
    };
    match way {
        Some(forward) => {
            let (from, to) = if forward { (a, b) } else { (b, a) };
            format!("{} && {}", side(from, "src"), side(to, "dst"))
        }
        None => {
            let any = |e: &Endpoint| {
                let addr = format!("{addr_field}.addr == {}", e.addr.numeric_text());
                match port_field {
                    Some(p) => format!("{addr} && {p}.port == {}", e.port),
                    None => addr,
                }
            };
            format!("{} && {}", any(a), any(b))
        }
    }
}

/// The address field and port protocol of a table (TCP and UDP over IPv4 or IPv6).
pub(super) fn fields(kind: Kind, e: &Endpoint) -> (&'static str, Option<&'static str>) {
    let ip = match e.addr {
        crate::stats::Address::Ip(crate::dissect::ipv4::Addr::V6(_)) => "ipv6",
        _ => "ip",
    };
    match kind {
        Kind::Ethernet => ("eth", None),
        Kind::Ipv4 => ("ip", None),
        Kind::Ipv6 => ("ipv6", None),
        Kind::Tcp => (ip, Some("tcp")),
        Kind::Udp => (ip, Some("udp")),
    }
}

/// Bits per second as Wireshark shows them (N/A when the conversation took no time).
fn bps_text(bps: Option<f64>) -> String {
    bps.map_or_else(|| "N/A".to_string(), |b| format!("{b:.0}"))
}

/// Statistics ▸ Conversations.
#[derive(Debug)]
pub struct Conversations(Tabbed<Computed>);

impl Default for Conversations {
    fn default() -> Self {
        Conversations(Tabbed::new(Kind::Tcp))
    }
}

/// Column names of a table of `kind`.
fn headers(kind: Kind) -> Vec<&'static str> {
    let mut h = vec!["Address A"];
    if kind.has_ports() {
        h.push("Port A");
    }
    h.push("Address B");
    if kind.has_ports() {
        h.push("Port B");
    }
    h.extend([
        "Packets",
        "Bytes",
        "Packets A → B",
        "Bytes A → B",
        "Packets B → A",
        "Bytes B → A",
        "Rel Start",
        "Duration",
        "Bits/s A → B",
        "Bits/s B → A",
    ]);
    if kind == Kind::Tcp {
        h.extend(["Completeness", "Final states A / B"]);
    }
    h
}

/// The cells of row `c` (in [`headers`] order).
fn cells(kind: Kind, c: &Conversation, tcp: Option<&(String, String)>) -> Vec<String> {
    let mut v = vec![c.a.addr.text()];
    if kind.has_ports() {
        v.push(c.a.port.to_string());
    }
    v.push(c.b.addr.text());
    if kind.has_ports() {
        v.push(c.b.port.to_string());
    }
    v.extend([
        c.frames().to_string(),
        c.bytes().to_string(),
        c.frames_ab.to_string(),
        c.bytes_ab.to_string(),
        c.frames_ba.to_string(),
        c.bytes_ba.to_string(),
        format!("{:.6}", c.start_secs()),
        format!("{:.4}", c.duration_secs()),
        bps_text(c.bits_per_sec_ab()),
        bps_text(c.bits_per_sec_ba()),
    ]);
    if kind == Kind::Tcp {
        let (words, states) = tcp.cloned().unwrap_or_default();
        v.extend([words, states]);
    }
    v
}

/// Orders two rows by column `col` of [`headers`].
fn compare(kind: Kind, col: usize, x: &Conversation, y: &Conversation) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let ports = usize::from(kind.has_ports());
    // Columns past the addresses, counted from "Packets".
    let numeric = |c: &Conversation, k: usize| -> f64 {
        match k {
            0 => c.frames() as f64,
            1 => c.bytes() as f64,
            2 => c.frames_ab as f64,
            3 => c.bytes_ab as f64,
            4 => c.frames_ba as f64,
            5 => c.bytes_ba as f64,
            6 => c.start_secs(),
            7 => c.duration_secs(),
            8 => c.bits_per_sec_ab().unwrap_or(-1.0),
            9 => c.bits_per_sec_ba().unwrap_or(-1.0),
            _ => f64::from(c.stream),
        }
    };
    let addr_cols = 2 + 2 * ports;
    if col < addr_cols {
        let pick = |c: &Conversation| -> (String, u16) {
            let (e, port_col) = if col < 1 + ports {
                (&c.a, col == 1)
            } else {
                (&c.b, col == 3)
            };
            if port_col {
                (String::new(), e.port)
            } else {
                (e.addr.numeric_text(), 0)
            }
        };
        return pick(x).cmp(&pick(y));
    }
    let k = col - addr_cols;
    numeric(x, k)
        .partial_cmp(&numeric(y, k))
        .unwrap_or(Ordering::Equal)
}

impl Conversations {
    fn table_ui(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        let state = &mut self.0;
        let kind = state.tab;
        let headers = headers(kind);
        let Some(data) = state.data.as_ref() else {
            return actions;
        };
        let Some(table) = Kind::ALL
            .iter()
            .position(|k| *k == kind)
            .and_then(|k| data.tables.get(k))
        else {
            return actions;
        };
        state.order.update(kind, state.sort, &table.rows, |x, y| {
            compare(kind, state.sort.0, x, y)
        });
        let rows = state.order.rows(&table.rows);
        let look = table::Look {
            id_salt: ("conversations", kind.tshark_name()),
            headers: &headers,
            width: &|_, h| match h {
                "Address A" | "Address B" => 110.0,
                "Port A" | "Port B" | "Packets" | "Duration" => 56.0,
                "Packets A → B" | "Packets B → A" => 92.0,
                "Completeness" => 190.0,
                "Final states A / B" => 200.0,
                _ => 76.0,
            },
            arrows: true,
        };
        // Wider than most windows: the table scrolls sideways.
        egui::ScrollArea::horizontal().show(ui, |ui| {
            table::sortable(
                ui,
                &look,
                &mut state.sort,
                &rows,
                |c| cells(kind, c, data.tcp.get(&c.stream)),
                |ui, c| row_menu(ui, kind, c, &mut actions),
            );
        });
        actions
    }
}

/// A row's right-click menu: filters on it, and for TCP its stream's views.
fn row_menu(ui: &mut egui::Ui, kind: Kind, c: &Conversation, actions: &mut Vec<Action>) {
    let a = c.a.addr.text();
    let b = c.b.addr.text();
    for (label, way) in [
        (
            crate::tr!("conv-filter-both", a = a.as_str(), b = b.as_str()),
            None,
        ),
        (
            crate::tr!("conv-filter-one", a = a.as_str(), b = b.as_str()),
            Some(true),
        ),
        (
            crate::tr!("conv-filter-one", a = b.as_str(), b = a.as_str()),
            Some(false),
        ),
    ] {
        let filter = filter_text(kind, &c.a, &c.b, way);
        menu_item(ui, actions, true, label, Action::ApplyFilter(filter));
    }
    if kind != Kind::Tcp {
        return;
    }
    ui.separator();
    let stream = c.stream;
    let follow = crate::tr!("menu-follow-stream", stream = stream.to_string());
    menu_item(ui, actions, true, follow, Action::FollowStream(stream));
    let first = c.first_frame.saturating_sub(1) as usize;
    let ladder = crate::tr!("conv-open-ladder");
    menu_item(ui, actions, true, ladder, Action::Select(first));
    let graph = crate::tr!("conv-open-stream-graph");
    let request = WindowRequest::StreamGraph(stream);
    menu_item(ui, actions, true, graph, Action::StatsRequest(request));
}

impl StatsWindow for Conversations {
    fn title(&self) -> &'static str {
        "Conversations"
    }

    fn ready(&self) -> bool {
        self.0.ready()
    }

    fn shows_data(&self) -> bool {
        self.0.data.is_some()
    }

    fn default_size(&self) -> [f32; 2] {
        [1000.0, 420.0]
    }

    fn show(&mut self, ui: &mut egui::Ui, inputs: &Inputs) -> Vec<Action> {
        self.0
            .refresh(inputs, "synack-conversations", |loaded, first, filter| {
                compute(loaded, first, filter, true)
            });
        self.0.head_ui(
            ui,
            inputs,
            |d| d.tables.iter().map(|t| t.rows.len()).collect(),
            |d| d.error.as_ref(),
        );
        self.table_ui(ui)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Address;

    #[test]
    fn row_filters_name_both_sockets() {
        let a = Endpoint {
            addr: Address::Ip(crate::dissect::ipv4::Addr::V4([10, 0, 0, 1])),
            port: 1000,
        };
        let b = Endpoint {
            addr: Address::Ip(crate::dissect::ipv4::Addr::V4([10, 0, 0, 2])),
            port: 80,
        };
        assert_eq!(
            filter_text(Kind::Tcp, &a, &b, None),
            "ip.addr == 10.0.0.1 && tcp.port == 1000 && ip.addr == 10.0.0.2 && tcp.port == 80"
        );
        assert_eq!(
            filter_text(Kind::Tcp, &a, &b, Some(false)),
            "ip.src == 10.0.0.2 && tcp.srcport == 80 && ip.dst == 10.0.0.1 && tcp.dstport == 1000"
        );
        assert_eq!(
            filter_text(Kind::Ipv4, &a, &b, Some(true)),
            "ip.src == 10.0.0.1 && ip.dst == 10.0.0.2"
        );
    }
}
