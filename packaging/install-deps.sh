#!/usr/bin/env bash
# Installs what building, running and testing synack needs on Debian or Ubuntu:
# the Rust toolchain (if cargo is missing), libpcap, and the libraries the window uses.
# Safe to run twice; uses sudo when not run as root.
set -euo pipefail
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
packages=(
  build-essential pkg-config curl ca-certificates
  libpcap-dev                         # live capture (the pcap crate)
  libwireshark-data                   # manuf and wka: vendor names, read by crates/engine/build.rs
  libcap2-bin procps util-linux passwd # tests/capture.rs: setcap, kill, setpriv, useradd
  libfontconfig1-dev fonts-dejavu-core # fonts for the window and the flow-graph PNG
  libx11-6 libxcursor1 libxrandr2 libxi6 libxkbcommon-x11-0 libgl1 libegl1
  libwayland-client0 libwayland-egl1
  mesa-vulkan-drivers libvulkan1      # software rendering for the GUI tests
  xdg-desktop-portal                  # file dialogs
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    :
  else
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  fi
fi
# Mermaid's own parser for tests/flow_mermaid.rs (the `flow --format mermaid` output
# must parse as Mermaid reads it). Node comes from the machine; the test skips, and
# says so, when either is missing.
if ! command -v npm >/dev/null 2>&1; then
  { $SUDO apt-get update -q \
    && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends nodejs npm; } \
    || echo "install-deps: no node/npm: tests/flow_mermaid.rs will skip Mermaid's parser" >&2
fi
mermaid_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/mermaid"
if command -v npm >/dev/null 2>&1 && [ ! -d "$mermaid_dir/node_modules/mermaid" ]; then
  npm ci --prefix "$mermaid_dir" --no-audit --no-fund --ignore-scripts \
    || echo "install-deps: npm ci failed: tests/flow_mermaid.rs will skip Mermaid's parser" >&2
fi
# DuckDB and the Community ID reference implementation for tests/tables.rs (reads
# `synack tables`' Parquet back and checks its flow ids), from PyPI into a venv of
# the project's own: Debian 12's system Python is externally managed (PEP 668).
# The test skips, and says so, without them.
tables_venv="$(cd "$(dirname "$0")/.." && pwd)/tests/tables/.venv"
if [ ! -x "$tables_venv/bin/python" ] || ! "$tables_venv/bin/python" -c "import duckdb, communityid" 2>/dev/null; then
  if ! python3 -m venv "$tables_venv" 2>/dev/null; then
    { $SUDO apt-get update -q \
      && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends python3-venv python3-pip \
      && python3 -m venv "$tables_venv"; } \
      || echo "install-deps: no python3 venv: tests/tables.rs will skip" >&2
  fi
  if [ -x "$tables_venv/bin/pip" ]; then
    "$tables_venv/bin/pip" install -q duckdb communityid \
      || echo "install-deps: pip install duckdb communityid failed: tests/tables.rs will skip" >&2
  fi
fi
