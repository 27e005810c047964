//! The dialog that asks to save an unsaved live capture before the window closes.

use crate::ui::action::Action;
use eframe::egui;

/// What the quit dialog decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuitChoice {
    /// Save the capture, then quit.
    Save,
    /// Quit and throw the captured packets away.
    Discard,
    /// Stay.
    Cancel,
}

/// Asks whether to save the `packets` captured before quitting.
pub fn ui(ctx: &egui::Context, packets: usize) -> Option<Action> {
    let mut choice = None;
    egui::Modal::new(egui::Id::unique("quit with an unsaved capture")).show(ctx, |ui| {
        ui.heading(crate::tr!("quit-heading"));
        ui.label(crate::tr!("quit-body", count = packets));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(crate::tr!("quit-save")).clicked() {
                choice = Some(QuitChoice::Save);
            }
            if ui.button(crate::tr!("quit-discard")).clicked() {
                choice = Some(QuitChoice::Discard);
            }
            if ui.button(crate::tr!("button-cancel")).clicked() {
                choice = Some(QuitChoice::Cancel);
            }
        });
    });
    choice.map(Action::Quit)
}
