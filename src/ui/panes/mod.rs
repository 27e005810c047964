//! The panes, one per file. A pane draws data it is given and returns the
//! [`crate::ui::action::Action`]s the user asked for; it never touches files,
//! channels, threads or the capture's lock.

pub mod capture_menu;
pub mod detail_tree;
pub mod diagram;
pub mod explanation;
pub mod filter_bar;
pub mod flow_graph;
pub mod hex_pane;
pub mod packet_list;
pub mod search_bar;
pub mod start_page;
pub mod status_bar;
pub mod teach_bar;
