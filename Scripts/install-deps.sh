#!/usr/bin/env bash
# Installs the Debian packages SafeShift needs to build and test:
#   libpq-dev libsqlite3-dev  headers for the CLibPQ / CSQLite3 system libraries
#   pkg-config                used by SwiftPM to find them
#   postgresql                server binaries for Scripts/with-postgres.sh
# Idempotent: does nothing when every package is already installed.
# Set SAFESHIFT_SKIP_INSTALL_DEPS=1 to skip this step (e.g. on non-Debian machines that
# provide the libraries some other way).
set -euo pipefail

packages=(libpq-dev libsqlite3-dev postgresql pkg-config)

if [[ "${SAFESHIFT_SKIP_INSTALL_DEPS:-0}" == 1 ]]; then
  echo "install-deps: skipped (SAFESHIFT_SKIP_INSTALL_DEPS=1)" >&2
  exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
  # `dpkg -s` succeeds for removed-but-not-purged packages too; check the status line.
  if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed$'; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing missing packages: ${missing[*]}" >&2

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: error: apt-get not found, cannot install: ${missing[*]}" >&2
  echo "install-deps: install them with your system's package manager (Debian/Ubuntu" \
    "package names), or set SAFESHIFT_SKIP_INSTALL_DEPS=1 if they are provided otherwise." >&2
  exit 1
fi

as_root=()
if ((EUID != 0)); then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "install-deps: error: not root and sudo not found; cannot install: ${missing[*]}" >&2
    exit 1
  fi
fi

# `env` so the variable survives sudo's environment reset.
apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get)
"${apt[@]}" update -q
"${apt[@]}" install -y -q --no-install-recommends "${missing[@]}"
