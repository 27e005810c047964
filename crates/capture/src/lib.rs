//! synack's capture helper library (dumpcap's role): the libpcap device code, the
//! streaming pcapng writer, and the status protocol the helper speaks to the window
//! and the CLI. It links no dissection and no GUI, because the `synack-capture`
//! binary built from it is the one program that holds the capture rights.

pub mod live;
pub mod pcapng_stream;
pub mod privileges;
pub mod protocol;
