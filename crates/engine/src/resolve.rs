//! tshark's name-resolution flags (`-N dmnNtv`, `-n`): which numbers are shown with
//! names. synack resolves link addresses (vendor names, on by default as in tshark)
//! and port names (`-N t`); the network-name flags are accepted as tshark accepts
//! them but resolve nothing, as tshark resolves nothing for an address no hosts file
//! or captured DNS answer names.

/// The resolution flags one `-N` argument sets (every other kind is off).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Resolve {
    /// `m`: link-layer addresses by vendor and well-known names.
    pub mac: bool,
    /// `t`: TCP and UDP ports by service name.
    pub transport: bool,
    /// `n`: network addresses (accepted; no hosts file is read).
    pub network: bool,
    /// `d`: network addresses from captured DNS answers (accepted).
    pub captured_dns: bool,
    /// `N`: external resolvers (accepted; synack never queries the network).
    pub external: bool,
    /// `v`: VLAN ids by name (accepted).
    pub vlan: bool,
}

/// A letter `-N` does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("-N specifies unknown resolving option '{0}'")]
pub struct UnknownResolveFlag(pub char);

impl Resolve {
    /// tshark's default: link addresses only.
    pub const DEFAULT: Resolve = Resolve {
        mac: true,
        transport: false,
        network: false,
        captured_dns: false,
        external: false,
        vlan: false,
    };
    /// `-n`: nothing.
    pub const NONE: Resolve = Resolve {
        mac: false,
        transport: false,
        network: false,
        captured_dns: false,
        external: false,
        vlan: false,
    };

    /// The flags of one `-N` argument, as tshark reads it: each letter turns one kind
    /// on, the others stay off.
    pub fn parse(letters: &str) -> Result<Resolve, UnknownResolveFlag> {
        let mut out = Resolve::NONE;
        for c in letters.chars() {
            match c {
                'm' => out.mac = true,
                't' => out.transport = true,
                'n' => out.network = true,
                'd' => out.captured_dns = true,
                'N' => out.external = true,
                'v' => out.vlan = true,
                other => return Err(UnknownResolveFlag(other)),
            }
        }
        Ok(out)
    }

    /// Makes these flags the process's: the printers read them when they print.
    pub fn apply(self) {
        crate::manuf::set_enabled(self.mac);
        crate::services::set_enabled(self.transport);
    }
}

/// The lines tshark prints after an unknown `-N` letter, listing the valid ones.
pub const VALID_FLAGS_HELP: &str = "valid options are:
\t'd' to enable address resolution from captured DNS packets
\t'm' to enable MAC address resolution
\t'n' to enable network address resolution
\t'N' to enable using external resolvers (e.g., DNS)
\t    for network address resolution
\t't' to enable transport-layer port number resolution
\t'v' to enable VLAN IDs to names resolution";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_letter_turns_on_its_kind_only() {
        let r = Resolve::parse("tm").unwrap_or(Resolve::NONE);
        assert!(r.mac && r.transport && !r.network);
        assert_eq!(Resolve::parse(""), Ok(Resolve::NONE));
        assert_eq!(Resolve::parse("mx"), Err(UnknownResolveFlag('x')));
    }
}
