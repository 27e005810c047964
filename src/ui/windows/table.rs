//! What the tabbed Statistics tables (Conversations, Endpoints) share: their state
//! and worker, the tab row with its limit checkbox, the row order kept per sort, and
//! the sortable table whose rows each have a right-click menu.

use super::Inputs;
use super::worker::{Background, FIRST_LOOK, first_look_pays};
use crate::stats::Kind;
use crate::tcp::Loaded;
use eframe::egui;
use egui_extras::{Column, TableBuilder};
use std::cmp::Ordering;

/// No column chosen: rows stay in the order they were counted.
pub(super) const UNSORTED: (usize, bool) = (usize::MAX, false);

/// What a computation was asked for: packets, and the filter it was limited to.
type Key = (usize, Option<String>);

/// A tabbed table window's state: the shown tab, whether the tables are limited to
/// the display filter, the tables computed (`C`) on a worker, the sort and row order.
#[derive(Debug)]
pub(super) struct Tabbed<C> {
    /// The shown tab.
    pub tab: Kind,
    limit: bool,
    /// The last tables computed.
    pub data: Option<C>,
    computed: Option<Key>,
    wanted: Option<Key>,
    worker: Background<(Key, C)>,
    /// Column and descending ([`UNSORTED`] at first).
    pub sort: (usize, bool),
    /// Row order of the shown tab.
    pub order: RowOrder,
}

impl<C: Send + 'static> Tabbed<C> {
    /// Showing `tab` first, nothing computed yet.
    pub(super) fn new(tab: Kind) -> Self {
        Tabbed {
            tab,
            limit: false,
            data: None,
            computed: None,
            wanted: None,
            worker: Background::default(),
            sort: UNSORTED,
            order: RowOrder::default(),
        }
    }

    /// Starts `compute` on a worker called `name` when the capture or the filter
    /// changed since the last run; takes its result when it has arrived. On a long
    /// capture the worker first computes over its first packets (`compute`'s
    /// `Some(packets)`) and sends that, then over all (`None`).
    pub(super) fn refresh(
        &mut self,
        inputs: &Inputs,
        name: &str,
        compute: fn(&Loaded, Option<usize>, Option<&str>) -> C,
    ) {
        if let Some((key, data)) = self.worker.poll() {
            self.computed = Some(key);
            self.data = Some(data);
            self.order.invalidate();
        }
        let Some(shared) = inputs.shared.clone() else {
            return;
        };
        let key: Key = inputs.limited_key(self.limit);
        let filter = key.1.clone();
        if !self.worker.wants(
            &key,
            self.computed.as_ref(),
            &mut self.wanted,
            inputs.loading,
        ) {
            return;
        }
        self.worker.start_with_partial(
            name,
            shared,
            inputs.ctx.clone(),
            move |loaded, _cancel, partial| {
                if first_look_pays(loaded, partial.wanted(), FIRST_LOOK) {
                    let first = compute(loaded, Some(FIRST_LOOK), filter.as_deref());
                    partial.send((key.clone(), first));
                }
                (key, compute(loaded, None, filter.as_deref()))
            },
        );
    }

    /// Whether the tables on hand are the last asked for.
    pub(super) fn ready(&self) -> bool {
        self.data.is_some() && !self.worker.running()
    }

    /// The window's head ([`tabs_ui`]): each table's row count from `counts`, and
    /// why the tables could not be counted from `error`.
    pub(super) fn head_ui(
        &mut self,
        ui: &mut egui::Ui,
        inputs: &Inputs,
        counts: impl Fn(&C) -> Vec<usize>,
        error: impl Fn(&C) -> Option<&String>,
    ) {
        tabs_ui(
            ui,
            &mut self.tab,
            &mut self.limit,
            self.data.as_ref().map(counts),
            inputs.filter.as_deref(),
            self.data.as_ref().and_then(error),
            self.worker.running() || inputs.loading,
        );
    }
}

/// The row order of the shown tab, and what it was sorted for (tab, column,
/// descending, row count), so that it is sorted once per change, not every frame.
#[derive(Debug, Default)]
pub(super) struct RowOrder {
    order: Vec<usize>,
    sorted_for: Option<(Kind, (usize, bool), usize)>,
}

impl RowOrder {
    /// Sorts `rows` of tab `kind` by `sort` (column, descending) with `compare`,
    /// unless they were sorted so already.
    pub(super) fn update<R>(
        &mut self,
        kind: Kind,
        sort: (usize, bool),
        rows: &[R],
        compare: impl Fn(&R, &R) -> Ordering,
    ) {
        let want = Some((kind, sort, rows.len()));
        if self.sorted_for == want {
            return;
        }
        let (col, descending) = sort;
        let mut order: Vec<usize> = (0..rows.len()).collect();
        if col != UNSORTED.0 {
            order.sort_by(|a, b| {
                let (Some(x), Some(y)) = (rows.get(*a), rows.get(*b)) else {
                    return Ordering::Equal;
                };
                let o = compare(x, y);
                if descending { o.reverse() } else { o }
            });
        }
        *self = RowOrder {
            order,
            sorted_for: want,
        };
    }

    /// Forgets the order: new rows arrived.
    pub(super) fn invalidate(&mut self) {
        self.sorted_for = None;
    }

    /// The rows of `rows` in this order.
    pub(super) fn rows<'r, R>(&self, rows: &'r [R]) -> Vec<&'r R> {
        self.order.iter().filter_map(|i| rows.get(*i)).collect()
    }
}

/// How a [`sortable`] table looks.
pub(super) struct Look<'a> {
    /// Keeps the column widths apart per table.
    pub id_salt: (&'a str, &'a str),
    /// English headings (shown translated).
    pub headers: &'a [&'a str],
    /// The initial width of a column from its index and English heading.
    pub width: &'a dyn Fn(usize, &str) -> f32,
    /// Whether the sorted column's heading carries an arrow.
    pub arrows: bool,
}

/// Draws `rows` (each as its cells' text) as a striped table whose headings sort
/// it by `sort` (a click sorts descending, a second click ascending) and whose rows
/// open `menu` on a right click.
pub(super) fn sortable<R>(
    ui: &mut egui::Ui,
    look: &Look<'_>,
    sort: &mut (usize, bool),
    rows: &[R],
    cells: impl Fn(&R) -> Vec<String>,
    mut menu: impl FnMut(&mut egui::Ui, &R),
) {
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    let mut builder = TableBuilder::new(ui)
        .id_salt(look.id_salt)
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
    for (k, h) in look.headers.iter().enumerate() {
        let width = (look.width)(k, h);
        builder = builder.column(Column::initial(width).at_least(30.0).clip(true));
    }
    builder = builder.auto_shrink(false);
    builder
        .header(row_height + 2.0, |mut header| {
            for (k, h) in look.headers.iter().enumerate() {
                header.col(|ui| {
                    let arrow = match *sort {
                        (c, false) if look.arrows && c == k => " ▲",
                        (c, true) if look.arrows && c == k => " ▼",
                        _ => "",
                    };
                    let text = format!("{}{arrow}", super::shown("heading", h));
                    let button = egui::Button::new(egui::RichText::new(text).strong()).frame(false);
                    if ui
                        .add(button)
                        .on_hover_text(crate::tr!("heading-sort"))
                        .clicked()
                    {
                        *sort = if sort.0 == k { (k, !sort.1) } else { (k, true) };
                    }
                });
            }
        })
        .body(|body| {
            body.rows(row_height, rows.len(), |mut row| {
                let Some(r) = rows.get(row.index()) else {
                    return;
                };
                for text in cells(r) {
                    row.col(|ui| {
                        ui.add(egui::Label::new(text).truncate().selectable(false));
                    });
                }
                row.response().context_menu(|ui| menu(ui, r));
            });
        });
}

/// The head of a tabbed table window: the tabs with each table's row count, the
/// limit checkbox, why the tables could not be counted (`error`) and a spinner
/// while they are being counted (`busy`).
fn tabs_ui(
    ui: &mut egui::Ui,
    tab: &mut Kind,
    limit: &mut bool,
    counts: Option<Vec<usize>>,
    filter: Option<&str>,
    error: Option<&String>,
    busy: bool,
) {
    ui.horizontal(|ui| {
        for (k, kind) in Kind::ALL.iter().enumerate() {
            let label = match counts.as_ref().and_then(|c| c.get(k)) {
                Some(n) => format!("{} · {n}", kind.title()),
                None => kind.title().to_string(),
            };
            if ui.selectable_label(*tab == *kind, label).clicked() {
                *tab = *kind;
            }
        }
    });
    ui.horizontal(|ui| {
        ui.add_enabled(
            filter.is_some(),
            egui::Checkbox::new(limit, crate::tr!("stats-limit")),
        )
        .on_hover_text(filter.map_or_else(|| crate::tr!("stats-no-filter"), str::to_string));
    });
    if let Some(e) = error {
        ui.label(e);
    }
    if busy {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(crate::tr!("stats-counting"));
        });
    }
    ui.separator();
}
