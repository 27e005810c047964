#!/usr/bin/env bash
# Installs synack's .deb on a clean Debian 12 (a debootstrap'ed minimal system in a
# folder, entered with chroot) and checks it as a student would meet it: apt pulls
# in what the package depends on, the desktop entry's command opens the window,
# only synack-capture holds capture rights, a member of the synack group captures
# on lo and a non-member is told how to get the right.
#
#   packaging/test-deb-clean.sh [PACKAGE.deb]     (default: build it with cargo deb)
#
# Needs root, debootstrap and the Debian mirror. The minimal system is kept in
# $SYNACK_CLEAN_ROOT (default /var/tmp/synack-clean-bookworm) and copied afresh for
# each run, so every run starts from the same clean install. Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "run as root: it builds a system with debootstrap" >&2; exit 1; }
export PATH="$HOME/.cargo/bin:$PATH"
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

base=${SYNACK_CLEAN_ROOT:-/var/tmp/synack-clean-bookworm}
mirror=${SYNACK_MIRROR:-http://deb.debian.org/debian}
command -v debootstrap >/dev/null || apt-get install -y -q debootstrap

deb=${1:-}
if [ -z "$deb" ]; then
    command -v cargo-deb >/dev/null || cargo install cargo-deb --locked
    cargo deb
    deb=$(ls -t "${CARGO_TARGET_DIR:-target}"/debian/synack_*.deb | head -1)
fi
echo "package: $deb"

if [ ! -x "$base/usr/bin/apt-get" ]; then
    debootstrap --variant=minbase bookworm "$base.part" "$mirror"
    mv "$base.part" "$base"
fi

root=$(mktemp -d /var/tmp/synack-clean.XXXXXX)
cleanup() {
    for m in dev/pts dev proc sys; do umount -l "$root/$m" 2>/dev/null || true; done
    rm -rf "$root"
}
trap cleanup EXIT
cp -a "$base/." "$root/"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
cp "$deb" "$root/tmp/synack.deb"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }

# apt resolves the package's dependencies from the mirror, as on a student's machine.
in_root apt-get update -q
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q /tmp/synack.deb xvfb xauth
ok "installed on a clean Debian 12: $(in_root dpkg-query -W -f='${Package} ${Version}' synack)"

in_root getent group synack >/dev/null || fail "no synack group"
[ "$(in_root stat -c '%U:%G %a' /usr/bin/synack-capture)" = "root:synack 750" ] \
    || fail "synack-capture is $(in_root stat -c '%U:%G %a' /usr/bin/synack-capture)"
[ -z "$(in_root getcap /usr/bin/synack)" ] || fail "synack has capabilities"
in_root getcap /usr/bin/synack-capture | grep -q 'cap_net_admin,cap_net_raw=eip' \
    || fail "synack-capture lacks its capabilities"
ok "synack-capture root:synack 0750 with $(in_root getcap /usr/bin/synack-capture | cut -d' ' -f2); getcap /usr/bin/synack shows nothing"

missing=$(in_root sh -c 'ldd /usr/bin/synack /usr/bin/synack-capture | grep "not found"' || true)
[ -z "$missing" ] || fail "libraries missing: $missing"
ok "every library synack links is installed"

# The window from the desktop entry (winit loads X11 or Wayland libraries at run
# time, so this is what shows a missing dependency).
exec_line=$(sed -n 's/^Exec=//p' "$root/usr/share/applications/io.github.synack.Synack.desktop" | sed 's/ %[fFuU]//')
set +e
in_root env XDG_RUNTIME_DIR=/tmp timeout 10 xvfb-run -a $exec_line >"$root/tmp/window.log" 2>&1
status=$?
set -e
[ "$status" = 124 ] || { cat "$root/tmp/window.log"; fail "the window did not stay open (exit $status)"; }
ok "'$exec_line' from the desktop entry opens the window"

in_root useradd --create-home --shell /bin/bash student
in_root useradd --create-home --shell /bin/bash visitor
in_root usermod -aG synack student
# Traffic on lo: connections to a closed port (a SYN and a RST each).
knock() { for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/9) 2>/dev/null || true; sleep 0.1; done; }
knock & knocker=$!
in_root runuser -u student -- synack capture -i lo -f 'tcp port 9' -c 4 -a duration:30 \
    -w /tmp/student.pcapng 2>"$root/tmp/student.err" || { cat "$root/tmp/student.err"; fail "the student could not capture"; }
kill "$knocker" 2>/dev/null || true
packets=$(in_root synack dump -r /tmp/student.pcapng | wc -l)
[ "$packets" -ge 4 ] || fail "the student's capture holds $packets packets"
ok "a member of the synack group captured $packets packets on lo without root"

set +e
in_root runuser -u visitor -- synack capture -i lo -c 1 -w /tmp/visitor.pcapng 2>"$root/tmp/visitor.err"
status=$?
set -e
[ "$status" != 0 ] || fail "a non-member captured"
grep -q "usermod -aG synack" "$root/tmp/visitor.err" || { cat "$root/tmp/visitor.err"; fail "no permission message"; }
ok "a non-member gets: $(head -1 "$root/tmp/visitor.err")"
echo "all clean-install checks passed"
