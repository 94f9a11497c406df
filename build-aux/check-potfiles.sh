#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks po/POTFILES.in against the tree: every source, header or .ui file
# under src/, ui/ and resources/ with a translatable string must be listed,
# and every listed file must exist. "Translatable" is decided by xgettext
# with the keywords of meson's glib preset, the same run that builds the
# .pot, so a "_(" inside a comment does not count and "_ (" does.
#
# Usage: check-potfiles.sh [SOURCE_ROOT]

set -eu

cd "${1:-$(dirname "$0")/..}"

potfiles=po/POTFILES.in

if ! command -v xgettext >/dev/null 2>&1; then
  echo "SKIP: xgettext (gettext) is not installed"
  exit 77
fi
if [ ! -f "$potfiles" ]; then
  echo "FAIL: $potfiles does not exist"
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Listed paths: no comments, no blank lines, no surrounding blanks.
sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d' \
  "$potfiles" | LC_ALL=C sort -u >"$tmp/listed"

: >"$tmp/candidates"
for dir in src ui resources; do
  if [ -d "$dir" ]; then
    find "$dir" -type f \( -name '*.c' -o -name '*.h' -o -name '*.ui' \) \
      >>"$tmp/candidates"
  fi
done
LC_ALL=C sort -u -o "$tmp/candidates" "$tmp/candidates"

# Files that hold at least one message, read from the "#: file:line"
# references xgettext writes.
: >"$tmp/translatable"
if [ -s "$tmp/candidates" ]; then
  if ! LC_ALL=C.UTF-8 xgettext --from-code=UTF-8 --omit-header \
      --add-location=file \
      --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
      --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 \
      --keyword=g_dpgettext2:2c,3 \
      --files-from="$tmp/candidates" --output="$tmp/messages.pot" \
      2>"$tmp/xgettext.log"; then
    echo "FAIL: xgettext could not read the sources:"
    cat "$tmp/xgettext.log"
    exit 1
  fi
  if [ -f "$tmp/messages.pot" ]; then
    sed -n 's/^#: //p' "$tmp/messages.pot" | tr ' ' '\n' | sed '/^$/d' \
      | LC_ALL=C sort -u >"$tmp/translatable"
  fi
fi

LC_ALL=C comm -23 "$tmp/translatable" "$tmp/listed" >"$tmp/unlisted"

: >"$tmp/absent"
while IFS= read -r path; do
  [ -f "$path" ] || printf '%s\n' "$path" >>"$tmp/absent"
done <"$tmp/listed"

# Listed files without messages are harmless to xgettext; mention them so a
# stale entry is noticed, but do not fail on them.
grep -E '^(src|ui|resources)/' "$tmp/listed" \
  | LC_ALL=C comm -23 - "$tmp/translatable" \
  | LC_ALL=C comm -12 - "$tmp/candidates" >"$tmp/idle" || true

status=0
if [ -s "$tmp/unlisted" ]; then
  echo "FAIL: these files have translatable strings but are not in $potfiles (add them):"
  sed 's/^/  /' "$tmp/unlisted"
  status=1
fi
if [ -s "$tmp/absent" ]; then
  echo "FAIL: these files are listed in $potfiles but do not exist (create them or remove the line):"
  sed 's/^/  /' "$tmp/absent"
  status=1
fi
if [ -s "$tmp/idle" ]; then
  echo "NOTE: these listed files have no translatable strings yet (not an error):"
  sed 's/^/  /' "$tmp/idle"
fi
if [ "$status" -eq 0 ]; then
  echo "OK: $potfiles lists all $(wc -l <"$tmp/translatable") files with translatable strings under src/, ui/ and resources/, and every listed file exists"
fi
exit "$status"
