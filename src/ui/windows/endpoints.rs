//! Statistics ▸ Endpoints: what each address (and port) sent and received, one tab
//! per table, what `synack stats -z endpoints,KIND` prints. Computed on a worker;
//! sortable; a row's menu filters on the endpoint.

use super::conversations;
use super::table::{self, Tabbed};
use super::{Inputs, StatsWindow};
use crate::stats::{EndpointRow, EndpointTable, Kind};
use crate::tcp::Loaded;
use crate::ui::action::{Action, menu_item};
use eframe::egui;

/// The endpoint tables in [`Kind::ALL`] order, or why not.
type Computed = (Vec<EndpointTable>, Option<String>);

/// Statistics ▸ Endpoints.
#[derive(Debug)]
pub struct Endpoints(Tabbed<Computed>);

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints(Tabbed::new(Kind::Ipv4))
    }
}

/// The endpoint tables over `loaded`, limited to `filter` when given.
fn compute(loaded: &Loaded, first: Option<usize>, filter: Option<&str>) -> Computed {
    let c = conversations::compute(loaded, first, filter, false);
    let tables = c
        .tables
        .iter()
        .map(EndpointTable::from_conversations)
        .collect();
    (tables, c.error)
}

fn headers(kind: Kind) -> Vec<&'static str> {
    let mut h = vec!["Address"];
    if kind.has_ports() {
        h.push("Port");
    }
    h.extend([
        "Packets",
        "Bytes",
        "Tx Packets",
        "Tx Bytes",
        "Rx Packets",
        "Rx Bytes",
    ]);
    h
}

fn cells(kind: Kind, r: &EndpointRow) -> Vec<String> {
    let mut v = vec![r.endpoint.addr.text()];
    if kind.has_ports() {
        v.push(r.endpoint.port.to_string());
    }
    v.extend(
        [
            r.frames(),
            r.bytes(),
            r.tx_frames,
            r.tx_bytes,
            r.rx_frames,
            r.rx_bytes,
        ]
        .map(|n| n.to_string()),
    );
    v
}

fn compare(kind: Kind, col: usize, x: &EndpointRow, y: &EndpointRow) -> std::cmp::Ordering {
    let ports = usize::from(kind.has_ports());
    if col == 0 {
        return x
            .endpoint
            .addr
            .numeric_text()
            .cmp(&y.endpoint.addr.numeric_text());
    }
    if ports == 1 && col == 1 {
        return x.endpoint.port.cmp(&y.endpoint.port);
    }
    let n = |r: &EndpointRow| match col - 1 - ports {
        0 => r.frames(),
        1 => r.bytes(),
        2 => r.tx_frames,
        3 => r.tx_bytes,
        4 => r.rx_frames,
        _ => r.rx_bytes,
    };
    n(x).cmp(&n(y))
}

/// The filter on an endpoint: any way, as source or as destination.
fn filter_on(kind: Kind, r: &EndpointRow, dir: &str) -> String {
    let e = &r.endpoint;
    let (addr, port) = conversations::fields(kind, e);
    let a = format!("{addr}.{dir} == {}", e.addr.numeric_text());
    match port {
        Some(p) => {
            let pdir = if dir == "addr" { "" } else { dir };
            format!("{a} && {p}.{pdir}port == {}", e.port)
        }
        None => a,
    }
}

impl Endpoints {
    fn table_ui(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        let state = &mut self.0;
        let kind = state.tab;
        let Some(table) = Kind::ALL
            .iter()
            .position(|k| *k == kind)
            .and_then(|k| state.data.as_ref()?.0.get(k))
        else {
            return actions;
        };
        state.order.update(kind, state.sort, &table.rows, |x, y| {
            compare(kind, state.sort.0, x, y)
        });
        let headers = headers(kind);
        let look = table::Look {
            id_salt: ("endpoints", kind.tshark_name()),
            headers: &headers,
            width: &|k, _| if k == 0 { 160.0 } else { 80.0 },
            arrows: false,
        };
        table::sortable(
            ui,
            &look,
            &mut state.sort,
            &state.order.rows(&table.rows),
            |r| cells(kind, r),
            |ui, r| {
                for (label, dir) in [
                    ("endpoint-filter", "addr"),
                    ("endpoint-filter-source", "src"),
                    ("endpoint-filter-destination", "dst"),
                ] {
                    let filter = Action::ApplyFilter(filter_on(kind, r, dir));
                    menu_item(ui, &mut actions, true, crate::tr!(label), filter);
                }
            },
        );
        actions
    }
}

impl StatsWindow for Endpoints {
    fn title(&self) -> &'static str {
        "Endpoints"
    }

    fn ready(&self) -> bool {
        self.0.ready()
    }

    fn shows_data(&self) -> bool {
        self.0.data.is_some()
    }

    fn default_size(&self) -> [f32; 2] {
        [760.0, 400.0]
    }

    fn show(&mut self, ui: &mut egui::Ui, inputs: &Inputs) -> Vec<Action> {
        self.0.refresh(inputs, "synack-endpoints", compute);
        self.0.head_ui(
            ui,
            inputs,
            |d| d.0.iter().map(|t| t.rows.len()).collect(),
            |d| d.1.as_ref(),
        );
        self.table_ui(ui)
    }
}
