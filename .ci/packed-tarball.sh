#!/usr/bin/env bash
# Puts the package's tarball in folder $1 and prints its file name. .ci/run packs once (npm pack's
# prepare builds dist/, most of a minute) and passes the tarball in PACKED_TARBALL to every check
# that installs the package; without it, as when a check runs alone, the tarball is packed here.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$1"
if [ -n "${PACKED_TARBALL:-}" ]; then
  [ -f "$PACKED_TARBALL" ] || { echo "PACKED_TARBALL names no file: $PACKED_TARBALL" >&2; exit 1; }
  cp "$PACKED_TARBALL" "$dest/"
  basename "$PACKED_TARBALL"
else
  (cd "$root" && npm pack --silent --pack-destination "$dest" | tail -n 1)
fi
