//! Statistics ▸ Endpoints: what each address (and port) sent and received, one tab
//! per table, what `synack stats -z endpoints,KIND` prints. Computed on a worker;
//! sortable; a row's menu filters on the endpoint.

use super::conversations::{self, tabs_ui};
use super::worker::Background;
use super::{Inputs, StatsWindow};
use crate::stats::{EndpointRow, EndpointTable, Kind};
use crate::ui::action::Action;
use eframe::egui;
use egui_extras::{Column, TableBuilder};

/// What a computation was asked for: packets, and the filter it was limited to.
type Key = (usize, Option<String>);

/// The endpoint tables in [`Kind::ALL`] order, or why not.
type Computed = (Vec<EndpointTable>, Option<String>);

/// What a row order was sorted for: tab, column, descending, row count.
type SortedFor = (Kind, usize, bool, usize);

/// Statistics ▸ Endpoints.
#[derive(Debug)]
pub struct Endpoints {
    tab: Kind,
    limit: bool,
    data: Option<Computed>,
    computed: Option<Key>,
    wanted: Option<Key>,
    worker: Background<(Key, Computed)>,
    sort: (usize, bool),
    /// Row order of the shown tab, and what it was sorted for.
    order: (Vec<usize>, Option<SortedFor>),
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints {
            tab: Kind::Ipv4,
            limit: false,
            data: None,
            computed: None,
            wanted: None,
            worker: Background::default(),
            sort: (usize::MAX, false),
            order: (Vec::new(), None),
        }
    }
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
    fn refresh(&mut self, inputs: &Inputs) {
        if let Some((key, data)) = self.worker.poll() {
            self.computed = Some(key);
            self.data = Some(data);
        }
        let Some(shared) = inputs.shared.clone() else {
            return;
        };
        let filter = if self.limit {
            inputs.filter.clone()
        } else {
            None
        };
        let key: Key = (inputs.packets, filter.clone());
        if self.computed.as_ref() == Some(&key)
            || (self.worker.running() && (self.wanted.as_ref() == Some(&key) || inputs.loading))
        {
            return;
        }
        self.wanted = Some(key.clone());
        if self.worker.should_wait(inputs.loading) {
            return;
        }
        self.worker.start(
            "synack-endpoints",
            shared,
            inputs.ctx.clone(),
            move |loaded, _cancel| {
                let c = conversations::compute(loaded, filter.as_deref(), false);
                let tables = c
                    .tables
                    .iter()
                    .map(EndpointTable::from_conversations)
                    .collect();
                (key, (tables, c.error))
            },
        );
    }

    fn table_ui(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        let kind = self.tab;
        let Some(table) = Kind::ALL
            .iter()
            .position(|k| *k == kind)
            .and_then(|k| self.data.as_ref()?.0.get(k))
        else {
            return actions;
        };
        let (col, descending) = self.sort;
        let want = Some((kind, col, descending, table.rows.len()));
        if self.order.1 != want {
            // Sorted once per change, not every frame.
            let mut order: Vec<usize> = (0..table.rows.len()).collect();
            if col != usize::MAX {
                order.sort_by(|a, b| {
                    let (Some(x), Some(y)) = (table.rows.get(*a), table.rows.get(*b)) else {
                        return std::cmp::Ordering::Equal;
                    };
                    let o = compare(kind, col, x, y);
                    if descending { o.reverse() } else { o }
                });
            }
            self.order = (order, want);
        }
        let rows: Vec<&EndpointRow> = self
            .order
            .0
            .iter()
            .filter_map(|i| table.rows.get(*i))
            .collect();
        let headers = headers(kind);
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        let mut builder = TableBuilder::new(ui)
            .id_salt(("endpoints", kind.tshark_name()))
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
        for k in 0..headers.len() {
            let width = if k == 0 { 160.0 } else { 80.0 };
            builder = builder.column(Column::initial(width).at_least(30.0).clip(true));
        }
        builder = builder.auto_shrink(false);
        let mut sort = self.sort;
        builder
            .header(row_height + 2.0, |mut header| {
                for (k, h) in headers.iter().enumerate() {
                    header.col(|ui| {
                        let button = egui::Button::new(
                            egui::RichText::new(super::shown("heading", h)).strong(),
                        )
                        .frame(false);
                        if ui
                            .add(button)
                            .on_hover_text(crate::tr!("heading-sort"))
                            .clicked()
                        {
                            sort = if sort.0 == k { (k, !sort.1) } else { (k, true) };
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, rows.len(), |mut row| {
                    let Some(r) = rows.get(row.index()) else {
                        return;
                    };
                    for text in cells(kind, r) {
                        row.col(|ui| {
                            ui.add(egui::Label::new(text).truncate().selectable(false));
                        });
                    }
                    row.response().context_menu(|ui| {
                        for (label, dir) in [
                            ("endpoint-filter", "addr"),
                            ("endpoint-filter-source", "src"),
                            ("endpoint-filter-destination", "dst"),
                        ] {
                            if ui.button(crate::tr!(label)).clicked() {
                                actions.push(Action::ApplyFilter(filter_on(kind, r, dir)));
                                ui.close();
                            }
                        }
                    });
                });
            });
        self.sort = sort;
        actions
    }
}

impl StatsWindow for Endpoints {
    fn title(&self) -> &'static str {
        "Endpoints"
    }

    fn ready(&self) -> bool {
        self.data.is_some() && !self.worker.running()
    }

    fn default_size(&self) -> [f32; 2] {
        [760.0, 400.0]
    }

    fn show(&mut self, ui: &mut egui::Ui, inputs: &Inputs) -> Vec<Action> {
        self.refresh(inputs);
        let counts = self
            .data
            .as_ref()
            .map(|d| d.0.iter().map(|t| t.rows.len()).collect());
        tabs_ui(
            ui,
            &mut self.tab,
            &mut self.limit,
            counts,
            inputs.filter.as_deref(),
        );
        if let Some(e) = self.data.as_ref().and_then(|d| d.1.as_ref()) {
            ui.label(e);
        }
        if self.worker.running() || inputs.loading {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(crate::tr!("stats-counting"));
            });
        }
        ui.separator();
        self.table_ui(ui)
    }
}
