//! Live capture through libpcap: the capture devices, checking a BPF capture filter,
//! and a capture handle read with a short timeout so a stop flag is seen promptly.
//! Opening a device needs CAP_NET_RAW and CAP_NET_ADMIN, which only the small
//! `synack-capture` helper holds; listing devices and checking filters need no rights.

use std::net::IpAddr;
use std::path::Path;

/// How long the kernel may hold captured packets before handing them over.
pub const READ_TIMEOUT_MILLIS: i32 = 150;

/// How long [`wait_for_packets`] waits at most for the kernel to hand over packets.
const IDLE_WAIT_MILLIS: i64 = 100;

/// The default snapshot length, as dumpcap's: whole packets.
pub const DEFAULT_SNAPLEN: u32 = 262_144;

/// Packets read after a stop request, at most, to empty the kernel's buffer.
const DRAIN_MAX_PACKETS: usize = 100_000;

/// An address of a capture device, with its prefix length when libpcap knows the mask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceAddress {
    /// The address.
    pub addr: IpAddr,
    /// Prefix length from the netmask (`/24`), if there is one.
    pub prefix: Option<u8>,
}

impl std::fmt::Display for DeviceAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.prefix {
            Some(p) => write!(f, "{}/{p}", self.addr),
            None => write!(f, "{}", self.addr),
        }
    }
}

/// A device libpcap can capture on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// Its name (`eth0`, `lo`, `any`).
    pub name: String,
    /// libpcap's description, if any.
    pub description: Option<String>,
    /// Its addresses.
    pub addresses: Vec<DeviceAddress>,
    /// Administratively up.
    pub up: bool,
    /// Running (link up).
    pub running: bool,
    /// A loopback device.
    pub loopback: bool,
    /// A wireless device.
    pub wireless: bool,
}

impl Device {
    /// The flags as words: "up, running, loopback".
    pub fn flags_text(&self) -> String {
        let mut words = Vec::new();
        words.push(if self.up { "up" } else { "down" });
        if self.running {
            words.push("running");
        }
        if self.loopback {
            words.push("loopback");
        }
        if self.wireless {
            words.push("wireless");
        }
        words.join(", ")
    }
}

/// Capture statistics from libpcap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Packets written to the file.
    pub packets: u64,
    /// Packets the kernel's filter passed (libpcap's `ps_recv`).
    pub received: u64,
    /// Packets dropped by the kernel because its buffer was full (`ps_drop`).
    pub dropped: u64,
    /// Packets dropped by the interface or its driver (`ps_ifdrop`).
    pub if_dropped: u64,
}

/// Why a live capture could not start or go on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiveError {
    /// libpcap could not list the devices.
    #[error("cannot list the capture devices: {0}")]
    DeviceList(String),
    /// No device has this name.
    #[error(
        "there is no capture device named '{name}'; the devices are: {known} (`synack interfaces` describes them)"
    )]
    NoSuchDevice {
        /// The name asked for.
        name: String,
        /// The names that exist, comma-separated.
        known: String,
    },
    /// The capture filter does not compile.
    #[error("the capture filter '{filter}' is not valid BPF: {message}")]
    Filter {
        /// The filter.
        filter: String,
        /// libpcap's message.
        message: String,
    },
    /// The process may not capture.
    #[error("{}", permission_message(device, detail, program))]
    Permission {
        /// The device.
        device: String,
        /// libpcap's message.
        detail: String,
        /// The capturing program (the helper), for the setcap command.
        program: String,
    },
    /// Anything else libpcap reported.
    #[error("cannot capture on {device}: {message}")]
    Pcap {
        /// The device.
        device: String,
        /// libpcap's message.
        message: String,
    },
}

/// The message for a capture refused for lack of rights, with both ways to fix it.
pub fn permission_message(device: &str, detail: &str, program: &str) -> String {
    format!(
        "no permission to capture on {device} ({detail}). Capturing needs the CAP_NET_RAW and \
         CAP_NET_ADMIN capabilities, which only {program} may hold. To fix it: if synack was \
         installed from its package, join the synack group (sudo usermod -aG synack $USER), \
         then log out and in again; otherwise grant them to the helper: \
         sudo setcap cap_net_raw,cap_net_admin+eip {program}"
    )
}

impl LiveError {
    /// The helper's exit status for this error (the parent reads the message from
    /// stderr; the code lets scripts tell the cases apart).
    pub fn exit_code(&self) -> u8 {
        match self {
            LiveError::Permission { .. } => 3,
            LiveError::NoSuchDevice { .. } => 4,
            LiveError::Filter { .. } => 5,
            LiveError::DeviceList(_) | LiveError::Pcap { .. } => 1,
        }
    }
}

fn pcap_message(error: &pcap::Error) -> String {
    match error {
        pcap::Error::PcapError(m) => m.clone(),
        other => other.to_string(),
    }
}

fn prefix_len(mask: Option<IpAddr>) -> Option<u8> {
    let ones = match mask? {
        IpAddr::V4(m) => u32::from(m).count_ones(),
        IpAddr::V6(m) => u128::from(m).count_ones(),
    };
    u8::try_from(ones).ok()
}

/// Every device libpcap can capture on, in libpcap's order (busiest first).
pub fn devices() -> Result<Vec<Device>, LiveError> {
    let list = pcap::Device::list().map_err(|e| LiveError::DeviceList(pcap_message(&e)))?;
    Ok(list
        .into_iter()
        .map(|d| Device {
            up: d.flags.is_up(),
            running: d.flags.is_running(),
            loopback: d.flags.is_loopback(),
            wireless: d.flags.is_wireless(),
            addresses: d
                .addresses
                .iter()
                .map(|a| DeviceAddress {
                    addr: a.addr,
                    prefix: prefix_len(a.netmask),
                })
                .collect(),
            description: d.desc,
            name: d.name,
        })
        .collect())
}

/// Checks that `name` is a capture device, with the list of names when it is not.
pub fn check_device(name: &str) -> Result<(), LiveError> {
    let list = devices()?;
    if list.iter().any(|d| d.name == name) {
        return Ok(());
    }
    Err(LiveError::NoSuchDevice {
        name: name.to_string(),
        known: list
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// Compiles `filter` for an Ethernet link without opening a device (no rights needed),
/// so a typing mistake is reported before a capture starts. A filter that only fails
/// on another link type is caught when the helper applies it to the device.
pub fn check_filter(filter: &str) -> Result<(), LiveError> {
    let bad = |e: pcap::Error| LiveError::Filter {
        filter: filter.to_string(),
        message: pcap_message(&e),
    };
    let dead = pcap::Capture::dead(pcap::Linktype::ETHERNET).map_err(bad)?;
    dead.compile(filter, true).map(|_| ()).map_err(bad)
}

/// What to capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Device name.
    pub device: String,
    /// BPF capture filter (empty: everything).
    pub filter: String,
    /// Bytes kept of each packet.
    pub snaplen: u32,
    /// Size of the kernel's capture buffer in MiB.
    pub buffer_mib: u32,
    /// Whether the device is put into promiscuous mode (dumpcap's default; `-p` turns
    /// it off).
    pub promiscuous: bool,
}

/// One packet as libpcap handed it over.
#[derive(Debug, Clone, Copy)]
pub struct LivePacket<'a> {
    /// Capture time in microseconds since the Unix epoch.
    pub ts_micros: u64,
    /// Length on the wire.
    pub orig_len: u32,
    /// The captured bytes.
    pub data: &'a [u8],
}

/// An open capture on one device.
pub struct LiveCapture {
    cap: Option<pcap::Capture<pcap::Active>>,
    device: String,
    link_type: u16,
    snaplen: u32,
}

impl std::fmt::Debug for LiveCapture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveCapture")
            .field("device", &self.device)
            .field("link_type", &self.link_type)
            .finish_non_exhaustive()
    }
}

/// Whether libpcap's message means "you may not capture" (`PCAP_ERROR_PERM_DENIED`
/// and a socket refused with EPERM read this way).
fn is_permission(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("permission") || m.contains("not permitted")
}

impl LiveCapture {
    /// Opens `config.device` with the kernel buffer and promiscuous mode asked for, and
    /// applies the filter.
    pub fn open(config: &Config) -> Result<LiveCapture, LiveError> {
        check_device(&config.device)?;
        let program = std::env::current_exe()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "synack-capture".into());
        let failed = |e: pcap::Error| {
            let message = pcap_message(&e);
            if is_permission(&message) {
                LiveError::Permission {
                    device: config.device.clone(),
                    detail: message,
                    program: program.clone(),
                }
            } else {
                LiveError::Pcap {
                    device: config.device.clone(),
                    message,
                }
            }
        };
        let snaplen = i32::try_from(config.snaplen.clamp(64, DEFAULT_SNAPLEN)).unwrap_or(65_535);
        let mut cap = pcap::Capture::from_device(config.device.as_str())
            .map_err(failed)?
            .promisc(config.promiscuous)
            .buffer_size(
                i32::try_from(u64::from(config.buffer_mib).saturating_mul(1 << 20))
                    .unwrap_or(i32::MAX),
            )
            .snaplen(snaplen)
            // libpcap's read timeout is not enough to see a stop request: on Linux with
            // TPACKET_V3 (and in immediate mode) a read on a silent link may wait for a
            // packet forever. So reads do not block (see `next_packet`), and the timeout only
            // bounds how long the kernel keeps packets in its buffer block.
            .timeout(READ_TIMEOUT_MILLIS)
            .open()
            .map_err(failed)?
            .setnonblock()
            .map_err(failed)?;
        if !config.filter.trim().is_empty() {
            cap.filter(&config.filter, true)
                .map_err(|e| LiveError::Filter {
                    filter: config.filter.clone(),
                    message: pcap_message(&e),
                })?;
        }
        let link_type = u16::try_from(cap.get_datalink().0).unwrap_or(0);
        Ok(LiveCapture {
            cap: Some(cap),
            device: config.device.clone(),
            link_type,
            snaplen: u32::try_from(snaplen).unwrap_or(DEFAULT_SNAPLEN),
        })
    }

    /// The device's link type.
    pub fn link_type(&self) -> u16 {
        self.link_type
    }

    /// The snapshot length in force.
    pub fn snaplen(&self) -> u32 {
        self.snaplen
    }

    /// The device name.
    pub fn device(&self) -> &str {
        &self.device
    }

    /// The next packet if the kernel holds one, `None` at once otherwise (wait with
    /// [`wait_for_packets`]).
    pub fn next_packet(&mut self) -> Result<Option<LivePacket<'_>>, LiveError> {
        let device = &self.device;
        let Some(cap) = self.cap.as_mut() else {
            return Ok(None);
        };
        match cap.next_packet() {
            Ok(packet) => {
                let ts = packet.header.ts;
                let micros = u64::try_from(ts.tv_sec)
                    .ok()
                    .and_then(|s| s.checked_mul(1_000_000))
                    .and_then(|s| s.checked_add(u64::try_from(ts.tv_usec).ok()?))
                    .unwrap_or(0);
                Ok(Some(LivePacket {
                    ts_micros: micros,
                    orig_len: packet.header.len,
                    data: packet.data,
                }))
            }
            Err(pcap::Error::TimeoutExpired) => Ok(None),
            Err(e) => Err(LiveError::Pcap {
                device: device.clone(),
                message: pcap_message(&e),
            }),
        }
    }

    /// How many packets a drain after a stop request may read at most from one
    /// device (what the kernel already holds belongs to the capture).
    pub fn drain_limit(&self) -> usize {
        DRAIN_MAX_PACKETS
    }

    /// libpcap's counters (`packets` is left for the caller, who counts writes).
    pub fn stats(&mut self) -> Option<Stats> {
        let s = self.cap.as_mut()?.stats().ok()?;
        Some(Stats {
            packets: 0,
            received: u64::from(s.received),
            dropped: u64::from(s.dropped),
            if_dropped: u64::from(s.if_dropped),
        })
    }
}

/// Waits until one of `captures` has packets for at most [`IDLE_WAIT_MILLIS`] (so a
/// capture loop sees a stop request within that time and costs nothing on a quiet
/// link). It waits in poll(2), which returns as soon as packets come: a fixed sleep
/// let the kernel's buffer overflow under a flood (half of 1M datagrams at 450k/s
/// were dropped with a 20 ms sleep).
pub fn wait_for_packets(captures: &[LiveCapture]) {
    let timeout = rustix::event::Timespec {
        tv_sec: 0,
        tv_nsec: IDLE_WAIT_MILLIS * 1_000_000,
    };
    let mut fds: Vec<rustix::event::PollFd<'_>> = captures
        .iter()
        .filter_map(|c| c.cap.as_ref())
        .map(|cap| rustix::event::PollFd::new(cap, rustix::event::PollFlags::IN))
        .collect();
    // An interrupted or failed wait only means the next read comes sooner; the read
    // itself reports a device that went away.
    rustix::event::poll(&mut fds, Some(&timeout)).ok();
}

/// Packets seen so far on each interface (received plus sent), from the kernel's
/// counters in `/proc/net/dev`: readable without any rights, so the device list can
/// show which card carries traffic before anything is captured. Empty elsewhere.
pub fn packet_counters() -> Vec<(String, u64)> {
    std::fs::read_to_string(Path::new("/proc/net/dev"))
        .map(|text| parse_net_dev(&text))
        .unwrap_or_default()
}

/// Parses `/proc/net/dev`: two header lines, then `name: rx_bytes rx_packets ... (8
/// receive fields) tx_bytes tx_packets ...`.
fn parse_net_dev(text: &str) -> Vec<(String, u64)> {
    text.lines()
        .filter_map(|line| {
            let (name, rest) = line.split_once(':')?;
            let fields: Vec<u64> = rest
                .split_whitespace()
                .map(|f| f.parse::<u64>().ok())
                .collect::<Option<Vec<u64>>>()?;
            let rx = *fields.get(1)?;
            let tx = *fields.get(9)?;
            Some((name.trim().to_string(), rx.saturating_add(tx)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn net_dev_counts_received_and_sent_packets() {
        let text = "Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n    lo:  1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0\n  eth0: 5 3 0 0 0 0 0 0 7 4 0 0 0 0 0 0\n  bad: x\n";
        assert_eq!(
            parse_net_dev(text),
            vec![("lo".to_string(), 20), ("eth0".to_string(), 7)]
        );
    }

    #[test]
    fn a_bad_filter_gets_libpcaps_message() {
        let error = check_filter("tcp port").err().map(|e| e.to_string());
        assert!(
            error.as_deref().is_some_and(|e| e.contains("syntax error")),
            "{error:?}"
        );
        assert!(check_filter("tcp port 80 and host 127.0.0.1").is_ok());
    }

    #[test]
    fn prefix_from_netmask() {
        assert_eq!(prefix_len(Some("255.255.255.0".parse().unwrap())), Some(24));
        assert_eq!(prefix_len(None), None);
    }

    #[test]
    fn permission_words() {
        assert!(is_permission(
            "lo: You don't have permission to perform this capture on that device (socket: Operation not permitted)"
        ));
        assert!(!is_permission("No such device exists"));
    }
}
