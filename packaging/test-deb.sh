#!/usr/bin/env bash
# Builds synack's .deb with cargo-deb, installs it with dpkg -i and checks what a
# student gets: the desktop entry and the AppStream metadata validate, the window
# starts from the desktop entry's command, only synack-capture has capabilities
# (root:synack, 0750), a member of the synack group captures on lo without root, and
# a user outside the group is told how to get the right.
# Needs root (dpkg, useradd). Not run by CI: it builds in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "run as root: it installs the package and creates users" >&2; exit 1; }
export PATH="$HOME/.cargo/bin:$PATH"
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

need=()
command -v desktop-file-validate >/dev/null || need+=(desktop-file-utils)
command -v appstreamcli >/dev/null || need+=(appstream)
command -v setcap >/dev/null || need+=(libcap2-bin)
command -v xvfb-run >/dev/null || need+=(xvfb xauth)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi
command -v cargo-deb >/dev/null || cargo install cargo-deb --locked

cargo deb
target="${CARGO_TARGET_DIR:-target}"
deb=$(ls -t "$target"/debian/synack_*.deb | head -1)
echo "package: $deb"
dpkg -i "$deb" || { DEBIAN_FRONTEND=noninteractive apt-get install -f -y -q; dpkg -i "$deb"; }
ok "installed $(dpkg-query -W -f='${Package} ${Version}' synack)"

desktop=/usr/share/applications/io.github.synack.Synack.desktop
desktop-file-validate "$desktop" || fail "desktop entry"
ok "desktop-file-validate $desktop"
appstreamcli validate --no-net /usr/share/metainfo/io.github.synack.Synack.metainfo.xml || fail "metainfo"
ok "appstreamcli validate"
for icon in scalable/apps/synack.svg 48x48/apps/synack.png 128x128/apps/synack.png 256x256/apps/synack.png; do
  [ -f "/usr/share/icons/hicolor/$icon" ] || fail "missing icon $icon"
done
ok "icons under /usr/share/icons/hicolor"

[ "$(stat -c '%U:%G %a' /usr/bin/synack-capture)" = "root:synack 750" ] \
  || fail "synack-capture is $(stat -c '%U:%G %a' /usr/bin/synack-capture), want root:synack 750"
ok "synack-capture is root:synack 0750"
[ -z "$(getcap /usr/bin/synack)" ] || fail "synack has capabilities: $(getcap /usr/bin/synack)"
ok "getcap /usr/bin/synack shows nothing"
getcap /usr/bin/synack-capture | grep -q 'cap_net_admin,cap_net_raw=eip' \
  || fail "synack-capture lacks its capabilities: $(getcap /usr/bin/synack-capture)"
ok "getcap /usr/bin/synack-capture: $(getcap /usr/bin/synack-capture)"

# The desktop entry's command starts the window (under a virtual X server).
exec_line=$(sed -n 's/^Exec=//p' "$desktop" | sed 's/ %[fFuU]//')
set +e
XDG_RUNTIME_DIR=$(mktemp -d) timeout 8 xvfb-run -a $exec_line >/dev/null 2>&1
status=$?
set -e
[ "$status" = 124 ] || fail "the window did not stay open (exit $status)"
ok "'$exec_line' from the desktop entry opens the window"

for u in synack-member synack-outsider; do
  id "$u" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$u"
done
usermod -aG synack synack-member
work=$(mktemp -d)
chmod 0777 "$work"

# Traffic on lo without extra tools: connections to a closed port (SYN, RST).
# (Each attempt fails: `|| true` keeps `set -e` from ending the loop.)
knock() { for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/9) 2>/dev/null || true; sleep 0.1; done; }
knock & knocker=$!
runuser -u synack-member -- synack capture -i lo -f 'tcp port 9' -c 4 -a duration:30 \
  -w "$work/member.pcapng" 2>"$work/member.err" || { cat "$work/member.err"; fail "the member could not capture"; }
kill "$knocker" 2>/dev/null || true
packets=$(synack dump -r "$work/member.pcapng" | wc -l)
[ "$packets" -ge 4 ] || fail "the member's capture holds $packets packets"
ok "a member of the synack group captured $packets packets on lo (as $(runuser -u synack-member -- id -un), not root)"

set +e
runuser -u synack-outsider -- synack capture -i lo -c 1 -w "$work/outsider.pcapng" 2>"$work/outsider.err"
status=$?
set -e
[ "$status" != 0 ] || fail "a user outside the group captured"
grep -q 'synack group' "$work/outsider.err" || { cat "$work/outsider.err"; fail "no permission message"; }
ok "a user outside the group gets: $(head -c 400 "$work/outsider.err")"
rm -rf "$work"
echo "all package checks passed"
