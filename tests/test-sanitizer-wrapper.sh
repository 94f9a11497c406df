#!/usr/bin/env bash
# Sanitizer builds only: checks build-aux/sanitizers/test-wrapper, which
# fails a test when any process of it made a sanitizer report.
#   test-sanitizer-wrapper.sh WRAPPER PROGRAM KIND:TEXT...
# PROGRAM is test-sanitizer-report: for each KIND its child makes a report
# whose text includes TEXT, and the parent exits 0 all the same. Alone it
# must pass (what a child's report did to a test before the wrapper); under
# the wrapper it must fail and show the report. A child without a report
# must pass under the wrapper.
set -u
wrapper=$1 program=$2
shift 2
failed=0
fail() { echo "FAIL: $*"; failed=1; }

# This test, like every other, must itself run through the wrapper: the
# "sanitize" test setup is the default of sanitizer builds.
case ":${ASAN_OPTIONS:-}:${TSAN_OPTIONS:-}:" in
  *:log_path=*) ;;
  *) fail "not run through the wrapper: is the sanitize test setup missing or not the default?" ;;
esac

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

for spec in "$@"; do
  kind=${spec%%:*} text=${spec#*:}

  # Alone, with the reports sent to a folder of our own (later options
  # win) so that the wrapper around this test does not count them.
  mkdir "$scratch/$kind"
  ASAN_OPTIONS="${ASAN_OPTIONS:-}:log_path=$scratch/$kind/r" \
  LSAN_OPTIONS="${LSAN_OPTIONS:-}:log_path=$scratch/$kind/r" \
  UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:log_path=$scratch/$kind/r" \
  TSAN_OPTIONS="${TSAN_OPTIONS:-}:log_path=$scratch/$kind/r" \
    "$program" "$kind" > "$scratch/$kind.alone" 2>&1
  status=$?
  [ "$status" -eq 0 ] || fail "$kind: the program alone exited $status, not 0 (it must not see its child's report)"
  grep -qs -- "$text" "$scratch/$kind"/r.* || fail "$kind: the child made no report with \"$text\""

  "$wrapper" "$program" "$kind" > "$scratch/$kind.wrapped" 2>&1
  status=$?
  if [ "$status" -eq 0 ]; then
    fail "$kind: passed under the wrapper although its child reported \"$text\""
  elif ! grep -q -- "$text" "$scratch/$kind.wrapped"; then
    fail "$kind: failed under the wrapper (status $status) without showing the report"
  else
    echo "ok: $kind: the child's report (\"$text\") fails the test under the wrapper (status $status)"
  fi
done

"$wrapper" "$program" none > "$scratch/none.wrapped" 2>&1
status=$?
if [ "$status" -eq 0 ]; then
  echo "ok: a child without a report passes under the wrapper"
else
  fail "a child without a report failed under the wrapper (status $status)"
  cat "$scratch/none.wrapped"
fi
exit $failed
