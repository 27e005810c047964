//! Giving up the capture rights once they have done their work, as dumpcap does: the
//! helper needs CAP_NET_RAW and CAP_NET_ADMIN only to open the device and set its
//! filter, so it drops every capability before it reads a packet from the network.

use caps::CapSet;

/// Why the capabilities could not be dropped (the helper then refuses to capture).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrivilegeError {
    /// The kernel refused to clear a capability set.
    #[error("cannot give up the capture rights (the {set} capability set): {message}")]
    Clear {
        /// The set: effective, permitted, inheritable, ambient or bounding.
        set: &'static str,
        /// The kernel's answer, through the `caps` crate.
        message: String,
    },
    /// A set still holds capabilities after it was cleared.
    #[error("the {set} capability set still holds {left} after it was cleared")]
    Kept {
        /// The set.
        set: &'static str,
        /// The capabilities left in it.
        left: String,
    },
}

/// What [`drop_all`] did beyond the sets it always clears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dropped {
    /// The bounding set was emptied too. It needs CAP_SETPCAP, which a helper run by
    /// root has and one given only `cap_net_raw,cap_net_admin` by setcap does not; the
    /// bounding set only limits what a later `execve` could gain, and the helper
    /// executes nothing, so keeping it is safe.
    pub bounding: bool,
}

/// Clears the calling thread's effective, permitted, inheritable and ambient sets,
/// and the bounding set when the thread may (it holds CAP_SETPCAP), then checks
/// that they are empty.
///
/// Capabilities belong to each thread: call this before starting any thread, so that
/// none keeps the rights.
pub fn drop_all() -> Result<Dropped, PrivilegeError> {
    let clear_error = |set: &'static str| {
        move |e: caps::errors::CapsError| PrivilegeError::Clear {
            set,
            message: e.to_string(),
        }
    };
    // The bounding set first: dropping from it needs CAP_SETPCAP in the effective
    // set, which the clears below take away.
    let bounding =
        caps::has_cap(None, CapSet::Effective, caps::Capability::CAP_SETPCAP).unwrap_or(false);
    if bounding {
        caps::clear(None, CapSet::Bounding).map_err(clear_error("bounding"))?;
    }
    // Kernels before 4.3 have no ambient set, so there is nothing to clear there.
    if caps::runtime::ambient_set_supported().is_ok() {
        caps::clear(None, CapSet::Ambient).map_err(clear_error("ambient"))?;
    }
    // Effective before permitted: the kernel refuses an effective set larger than
    // the permitted one.
    for (set, name) in [
        (CapSet::Inheritable, "inheritable"),
        (CapSet::Effective, "effective"),
        (CapSet::Permitted, "permitted"),
    ] {
        caps::clear(None, set).map_err(clear_error(name))?;
    }
    let mut check = vec![
        (CapSet::Effective, "effective"),
        (CapSet::Permitted, "permitted"),
        (CapSet::Inheritable, "inheritable"),
    ];
    if bounding {
        check.push((CapSet::Bounding, "bounding"));
    }
    for (set, name) in check {
        let left = caps::read(None, set).map_err(clear_error(name))?;
        if !left.is_empty() {
            let mut names: Vec<String> = left.iter().map(ToString::to_string).collect();
            names.sort();
            return Err(PrivilegeError::Kept {
                set: name,
                left: names.join(", "),
            });
        }
    }
    Ok(Dropped { bounding })
}
