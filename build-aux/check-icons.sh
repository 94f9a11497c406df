#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks the application icons: each SVG renders, the full-colour one is
# 128×128 and the symbolic one 16×16, and the symbolic one uses no colour
# but #2e3436 (GTK recolours that one to the theme's foreground).
#
# Usage: check-icons.sh ICONS_DIR APP_ID

set -eu

icons=$1
app_id=$2
color_icon=$icons/hicolor/scalable/apps/$app_id.svg
symbolic_icon=$icons/hicolor/symbolic/apps/$app_id-symbolic.svg

if ! command -v rsvg-convert >/dev/null 2>&1; then
  echo "SKIP: rsvg-convert (librsvg2-bin) is not installed"
  exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

status=0

# check_size FILE WIDTH HEIGHT: renders FILE at its own size and reads the
# PNG header (width and height are big-endian at bytes 16 and 20).
check_size () {
  if [ ! -f "$1" ]; then
    echo "FAIL: $1 does not exist"
    status=1
    return
  fi
  if ! rsvg-convert -o "$tmp/icon.png" "$1" 2>"$tmp/rsvg.log"; then
    echo "FAIL: $1 does not render:"
    cat "$tmp/rsvg.log"
    status=1
    return
  fi
  size=$(od -An -tu1 -j16 -N8 "$tmp/icon.png" \
    | awk '{ printf "%d×%d", $3 * 256 + $4, $7 * 256 + $8 }')
  if [ "$size" != "$2×$3" ]; then
    echo "FAIL: $1 is $size, not $2×$3"
    status=1
    return
  fi
  echo "ok: $1 renders at $size"
}

check_size "$color_icon" 128 128
check_size "$symbolic_icon" 16 16

if [ -f "$symbolic_icon" ]; then
  others=$(grep -oiE '#[0-9a-f]{6}\b|#[0-9a-f]{3}\b|rgba?\(' "$symbolic_icon" \
    | tr 'A-F' 'a-f' | grep -vx '#2e3436' | sort -u | tr '\n' ' ' || true)
  if [ -n "$others" ]; then
    echo "FAIL: $symbolic_icon uses colours other than #2e3436: $others"
    status=1
  fi
fi

exit "$status"
