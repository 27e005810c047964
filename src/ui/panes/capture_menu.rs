//! The Capture menu and the start page's device list: every capture device with a
//! sparkline of its packets per second, the BPF capture filter (checked as it is
//! typed), Start and Stop.

use crate::ui::action::Action;
use crate::ui::theme;
use eframe::egui::{self, RichText};
use std::collections::{HashMap, VecDeque};
use synack_capture::live::{self, Device};

/// Seconds of packet rates a sparkline shows.
pub const RATE_HISTORY: usize = 30;

/// What the device list shows this frame.
#[derive(Debug, Clone, Copy)]
pub struct CaptureView<'a> {
    /// The devices (`None` until the first list arrives), or why there are none.
    pub devices: Option<&'a Result<Vec<Device>, String>>,
    /// Packets per second of each device, oldest first.
    pub rates: &'a HashMap<String, VecDeque<f32>>,
    /// A capture is running.
    pub running: bool,
}

/// The capture pane's own state: the chosen device and the filter being typed.
#[derive(Debug, Default)]
pub struct CaptureMenu {
    /// The chosen device.
    pub device: Option<String>,
    /// The capture filter (BPF).
    pub filter: String,
    /// dumpcap's options for the next capture.
    pub options: crate::ui::capture_job::CaptureOptions,
    /// The filter last checked and libpcap's verdict on it.
    checked: Option<(String, Option<String>)>,
}

impl CaptureMenu {
    /// libpcap's message when the filter does not compile (checked once per change;
    /// compiling needs no rights and takes microseconds).
    pub fn filter_error(&mut self) -> Option<String> {
        let stale = self.checked.as_ref().is_none_or(|(f, _)| *f != self.filter);
        if stale {
            let verdict = if self.filter.trim().is_empty() {
                None
            } else {
                live::check_filter(&self.filter)
                    .err()
                    .map(|e| e.to_string())
            };
            self.checked = Some((self.filter.clone(), verdict));
        }
        self.checked.as_ref().and_then(|(_, e)| e.clone())
    }

    fn start(&self, device: &str) -> Action {
        Action::StartCapture {
            device: device.to_string(),
            filter: self.filter.trim().to_string(),
        }
    }

    /// The capture filter field, green or red as libpcap judges it.
    pub fn filter_ui(&mut self, ui: &mut egui::Ui) {
        let error = self.filter_error();
        ui.horizontal(|ui| {
            let label = ui.label(crate::tr!("capture-filter"));
            let fill = if self.filter.trim().is_empty() {
                None
            } else if error.is_some() {
                Some(theme::FILTER_BAD)
            } else {
                Some(theme::FILTER_OK)
            };
            let mut edit = egui::TextEdit::singleline(&mut self.filter)
                .hint_text(crate::tr!("capture-filter-hint"))
                .desired_width(280.0);
            if let Some(fill) = fill {
                edit = edit.background_color(fill).text_color(theme::FILTER_TEXT);
            }
            ui.add(edit).labelled_by(label.id);
        });
        if let Some(e) = &error {
            ui.label(RichText::new(e).color(theme::EXPERT_ERROR).small());
        }
        self.options_ui(ui);
    }

    /// dumpcap's options, folded away: kernel buffer, promiscuous mode, stop
    /// conditions.
    fn options_ui(&mut self, ui: &mut egui::Ui) {
        let o = &mut self.options;
        egui::CollapsingHeader::new(crate::tr!("capture-options"))
            .id_salt("capture options")
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(crate::tr!("capture-kernel-buffer"));
                    ui.add(
                        egui::DragValue::new(&mut o.buffer_mib)
                            .range(1..=1024)
                            .suffix(" MiB"),
                    );
                    ui.checkbox(&mut o.promiscuous, crate::tr!("capture-promiscuous"));
                });
                ui.horizontal(|ui| {
                    ui.label(crate::tr!("capture-stop-after"));
                    optional(
                        ui,
                        &mut o.stop_packets,
                        1000,
                        &crate::tr!("capture-unit-packets"),
                    );
                    optional(
                        ui,
                        &mut o.stop_seconds,
                        60,
                        &crate::tr!("capture-unit-seconds"),
                    );
                    optional(ui, &mut o.stop_kb, 10_000, " kB");
                });
            });
    }

    /// The devices, one row each: a radio to choose it, its state, its sparkline and
    /// a Start button.
    pub fn devices_ui(&mut self, ui: &mut egui::Ui, view: CaptureView<'_>) -> Option<Action> {
        let mut action = None;
        let devices = match view.devices {
            None => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.weak(crate::tr!("capture-looking"));
                });
                return None;
            }
            Some(Err(e)) => {
                ui.label(RichText::new(e).color(theme::EXPERT_ERROR));
                return None;
            }
            Some(Ok(d)) => d,
        };
        let filter_ok = self.filter_error().is_none();
        egui::Grid::new("capture devices")
            .num_columns(4)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for d in devices {
                    let chosen = self.device.as_deref() == Some(d.name.as_str());
                    if ui.radio(chosen, d.name.as_str()).clicked() {
                        self.device = Some(d.name.clone());
                    }
                    let state = device_state(d);
                    let text = match &d.description {
                        Some(desc) => format!("{state} · {desc}"),
                        None => state,
                    };
                    ui.weak(text).on_hover_text(
                        d.addresses
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("\n"),
                    );
                    match view.rates.get(&d.name) {
                        Some(rates) => sparkline(ui, rates),
                        None => {
                            ui.weak("—");
                        }
                    }
                    let start = ui
                        .add_enabled(!view.running && filter_ok, egui::Button::new("▶").small())
                        .on_hover_text(crate::tr!(
                            "capture-start-on-hint",
                            device = d.name.as_str()
                        ));
                    if start.clicked() {
                        self.device = Some(d.name.clone());
                        action = Some(self.start(&d.name));
                    }
                    ui.end_row();
                }
            });
        action
    }

    /// The Capture menu: devices, filter, Start and Stop.
    pub fn menu_ui(&mut self, ui: &mut egui::Ui, view: CaptureView<'_>) -> Option<Action> {
        let mut action = None;
        ui.set_min_width(520.0);
        ui.strong(crate::tr!("capture-interfaces"));
        if let Some(a) = self.devices_ui(ui, view) {
            action = Some(a);
        }
        ui.separator();
        self.filter_ui(ui);
        ui.separator();
        ui.horizontal(|ui| {
            let can_start = !view.running && self.device.is_some() && self.filter_error().is_none();
            let label = match &self.device {
                Some(d) => crate::tr!("capture-start-on", device = d.as_str()),
                None => crate::tr!("capture-start"),
            };
            if ui
                .add_enabled(can_start, egui::Button::new(label))
                .on_disabled_hover_text(crate::tr!("capture-choose-hint"))
                .clicked()
                && let Some(d) = &self.device
            {
                action = Some(self.start(d));
            }
            if ui
                .add_enabled(view.running, egui::Button::new(crate::tr!("tool-stop")))
                .clicked()
            {
                action = Some(Action::StopCapture);
            }
        });
        if action.is_some() {
            ui.close();
        }
        action
    }
}

/// Packets per second over the last half minute, as a small line.
fn sparkline(ui: &mut egui::Ui, rates: &VecDeque<f32>) {
    let size = egui::vec2(96.0, 18.0);
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
        let painter = ui.painter_at(rect);
        painter.line_segment(
            [rect.left_bottom(), rect.right_bottom()],
            egui::Stroke::new(1.0, theme::SPARK_BASE),
        );
        let peak = rates.iter().copied().fold(1.0f32, f32::max);
        let step = rect.width() / (RATE_HISTORY.saturating_sub(1).max(1)) as f32;
        let offset = RATE_HISTORY.saturating_sub(rates.len()) as f32;
        let points: Vec<egui::Pos2> = rates
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let x = rect.left() + (offset + i as f32) * step;
                let y = rect.bottom() - 1.0 - (rect.height() - 2.0) * (r / peak);
                egui::pos2(x, y)
            })
            .collect();
        if points.len() > 1 {
            painter.add(egui::Shape::line(
                points,
                egui::Stroke::new(1.5, theme::SPARK_LINE),
            ));
        }
        let now = rates.back().copied().unwrap_or(0.0);
        ui.weak(crate::tr!("capture-rate", rate = format!("{now:.0}")));
    });
}

/// A checkbox that turns an optional number on (with `default`) and its value.
fn optional<T: egui::emath::Numeric>(
    ui: &mut egui::Ui,
    value: &mut Option<T>,
    default: T,
    suffix: &str,
) {
    let mut on = value.is_some();
    if ui.checkbox(&mut on, "").changed() {
        *value = on.then_some(default);
    }
    match value {
        Some(v) => {
            ui.add(egui::DragValue::new(v).range(1.0..=f64::MAX).suffix(suffix));
        }
        None => {
            ui.weak(suffix.trim());
        }
    }
}

/// A device's flags in the window's language (`capture-device-up`, ...), joined as
/// the language joins a list; `synack interfaces` keeps the English words.
fn device_state(d: &Device) -> String {
    let mut words = vec![crate::tr!(if d.up {
        "capture-device-up"
    } else {
        "capture-device-down"
    })];
    for (on, id) in [
        (d.running, "capture-device-running"),
        (d.loopback, "capture-device-loopback"),
        (d.wireless, "capture-device-wireless"),
    ] {
        if on {
            words.push(crate::tr!(id));
        }
    }
    words.join(&crate::tr!("capture-device-separator"))
}
