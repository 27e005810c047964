//! The bytes pane: hex and ASCII of the selected packet; the selected field's bytes
//! are highlighted, and clicking a byte selects the field it belongs to.

use crate::ui::action::Action;
use crate::ui::model::Details;
use crate::ui::theme::Palette;
use eframe::egui;

/// The bytes pane's state.
#[derive(Debug, Default)]
pub struct HexPane {
    /// Which data source is shown (0: the frame).
    pub source: usize,
}

impl HexPane {
    /// Draws the bytes; `highlight` is (source, start, len) of the selected field.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        details: Option<&Details>,
        highlight: Option<(u8, usize, usize)>,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        let Some(details) = details else {
            ui.weak(crate::tr!("bytes-hint"));
            return actions;
        };
        if let Some((src, _, _)) = highlight
            && usize::from(src) < details.sources.len()
            && src != 0
        {
            self.source = usize::from(src);
        }
        if details.sources.len() > 1 {
            ui.horizontal(|ui| {
                for (i, (name, bytes)) in details.sources.iter().enumerate() {
                    // Reassembled sources carry their size in their name, as
                    // tshark's -x prints them; the frame and decrypted data do not.
                    let label = if name.ends_with(" bytes)") {
                        name.clone()
                    } else if name == "Frame" {
                        crate::tr!("bytes-frame", len = bytes.len())
                    } else {
                        crate::tr!("bytes-source", name = name.as_str(), len = bytes.len())
                    };
                    if ui.selectable_label(self.source == i, label).clicked() {
                        self.source = i;
                    }
                }
            });
        }
        if self.source >= details.sources.len() {
            self.source = 0;
        }
        let Some((_, bytes)) = details.sources.get(self.source) else {
            return actions;
        };
        let range = highlight
            .filter(|(s, _, len)| usize::from(*s) == self.source && *len > 0)
            .map(|(_, start, len)| start..start + len);
        let font = egui::TextStyle::Monospace.resolve(ui.style());
        let source = self.source as u8;
        let text_color = ui.visuals().text_color();
        let palette = Palette::current(ui);
        let weak_color = ui.visuals().weak_text_color();
        let char_width = ui.fonts_mut(|f| f.glyph_width(&font, '0')).max(1.0);
        // A line is as tall as a clickable label, as the tree's lines are.
        let line_height = ui
            .fonts_mut(|f| f.row_height(&font))
            .max(ui.spacing().interact_size.y);
        let row_height = line_height + ui.spacing().item_spacing.y;
        let lines = bytes.len().div_ceil(16);
        // Only the visible lines are laid out: a reassembled source can be 64 KiB. Each
        // line is one galley (a widget per byte made the pane the costliest of the
        // window), and a click is mapped back to its byte by column.
        egui::ScrollArea::both()
            .id_salt("bytes")
            .auto_shrink([false, false])
            .show_rows(ui, row_height, lines, |ui, visible| {
                for line in visible {
                    let Some(chunk) = bytes.get(line * 16..(line * 16 + 16).min(bytes.len()))
                    else {
                        continue;
                    };
                    let highlighted =
                        |k: usize| range.as_ref().is_some_and(|r| r.contains(&(line * 16 + k)));
                    let mut job = egui::text::LayoutJob::default();
                    let plain = egui::TextFormat::simple(font.clone(), text_color);
                    let marked = egui::TextFormat {
                        background: palette.bytes_highlight,
                        color: palette.selected_text,
                        ..plain.clone()
                    };
                    let format = |k: usize| {
                        if highlighted(k) {
                            marked.clone()
                        } else {
                            plain.clone()
                        }
                    };
                    job.append(
                        &format!("{:04x}  ", line * 16),
                        0.0,
                        egui::TextFormat::simple(font.clone(), weak_color),
                    );
                    for k in 0..16 {
                        match chunk.get(k) {
                            Some(b) => job.append(&format!("{b:02x}"), 0.0, format(k)),
                            None => job.append("  ", 0.0, plain.clone()),
                        }
                        job.append(if k == 7 { "  " } else { " " }, 0.0, plain.clone());
                    }
                    job.append("  ", 0.0, plain.clone());
                    for (k, b) in chunk.iter().enumerate() {
                        let c = if b.is_ascii_graphic() || *b == b' ' {
                            char::from(*b)
                        } else {
                            '.'
                        };
                        job.append(c.encode_utf8(&mut [0; 4]), 0.0, format(k));
                    }
                    let text = job.text.clone();
                    let galley = ui.fonts_mut(|f| f.layout_job(job));
                    let size = egui::vec2(galley.size().x, line_height);
                    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click());
                    // Screen readers (and the tests) read the line as one label.
                    response
                        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &text));
                    let top = rect.min.y + (line_height - galley.size().y) / 2.0;
                    ui.painter()
                        .galley(egui::pos2(rect.min.x, top), galley, text_color);
                    if response.clicked()
                        && let Some(pos) = response.interact_pointer_pos()
                        && let Some(k) =
                            byte_at_column(((pos.x - rect.min.x) / char_width) as usize)
                        && k < chunk.len()
                    {
                        actions.push(Action::SelectByte {
                            source,
                            offset: line * 16 + k,
                        });
                    }
                }
            });
        actions
    }
}

/// Characters before the first hex digit: the offset and two spaces.
const HEX_START: usize = 6;
/// The hex part: 16 bytes of two digits and a space, one more space after the eighth.
const HEX_WIDTH: usize = 16 * 3 + 1;
/// Where the ASCII part starts (after two more spaces).
const ASCII_START: usize = HEX_START + HEX_WIDTH + 2;

/// The byte (0..16) shown at character column `col` of a line, in the hex or the
/// ASCII part.
fn byte_at_column(col: usize) -> Option<usize> {
    if (HEX_START..HEX_START + HEX_WIDTH).contains(&col) {
        let c = col - HEX_START;
        // Bytes 8..16 sit one column further right.
        let k = if c > 8 * 3 {
            8 + (c - 1 - 8 * 3) / 3
        } else {
            c / 3
        };
        return Some(k.min(15));
    }
    (ASCII_START..ASCII_START + 16)
        .contains(&col)
        .then(|| col - ASCII_START)
}

#[cfg(test)]
mod tests {
    use super::byte_at_column;

    #[test]
    fn columns_map_to_their_bytes() {
        // "0000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  ................"
        assert_eq!(byte_at_column(0), None);
        assert_eq!(byte_at_column(6), Some(0));
        assert_eq!(byte_at_column(7), Some(0));
        assert_eq!(byte_at_column(9), Some(1));
        assert_eq!(byte_at_column(27), Some(7));
        assert_eq!(byte_at_column(31), Some(8));
        assert_eq!(byte_at_column(52), Some(15));
        assert_eq!(byte_at_column(57), Some(0));
        assert_eq!(byte_at_column(72), Some(15));
        assert_eq!(byte_at_column(73), None);
    }
}
