#!/usr/bin/env bash
# Builds the Debian package (scripts/make-deb.sh), installs it with apt on this machine, checks
# what a user gets, and purges it. Needs root (or sudo); run it on a test machine or in CI.
#
# Checks: `cadence --version`; the man pages (`man -w`); the bash completion, loaded as
# bash-completion loads it, completing subcommands and sound names; `cadence render` from the
# installed binary and sounds (no "built-in click" fallback); the binary stripped; then
# `apt-get purge` leaves none of the package's files.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
fail() { echo "test-package.sh: $*" >&2; exit 1; }
# The installed cadence runs in a home of its own: it never reads this machine's config or history.
home=$(mktemp -d)
export HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share XDG_STATE_HOME=$home/.local/state

# man-db for `man -w`, file for `file`, bash-completion as a user has it.
$sudo apt-get install -y -qq --no-install-recommends man-db file bash-completion >/dev/null
deb=$(scripts/make-deb.sh .build/deb)
echo "built $deb ($(du -h "$deb" | cut -f1))"
$sudo apt-get install -y -qq --no-install-recommends "./$deb" >/dev/null
trap '$sudo apt-get purge -y -qq cadence >/dev/null 2>&1 || true' EXIT

[ "$(command -v cadence)" = /usr/bin/cadence ] || fail "cadence is not /usr/bin/cadence"
version=$(cadence --version)
[ "$version" = "$(dpkg-query -W -f '${Version}' cadence)" ] || fail "cadence --version says $version"
file /usr/bin/cadence | grep -q ", stripped" || fail "/usr/bin/cadence is not stripped: $(file /usr/bin/cadence)"
echo "installed: cadence $version, /usr/bin/cadence $(du -h /usr/bin/cadence | cut -f1), stripped"

# Some images tell dpkg not to install man pages (path-exclude in /etc/dpkg/dpkg.cfg.d).
if grep -qs '^path-exclude=/usr/share/man' /etc/dpkg/dpkg.cfg.d/*; then
  dpkg-deb -c "$deb" | grep -q './usr/share/man/man1/cadence.play.1.gz' || fail "no man page in the package"
  echo "man: this machine's dpkg excludes /usr/share/man; the package holds the pages (dpkg-deb -c)"
else
  [ "$(man -w cadence)" = /usr/share/man/man1/cadence.1.gz ] || fail "man -w cadence: $(man -w cadence 2>&1)"
  man -w cadence.session >/dev/null || fail "no man page for cadence session"
  for section in FILES ENVIRONMENT EXAMPLES; do
    MANWIDTH=80 man cadence 2>/dev/null | grep -q "^$section" || fail "man cadence has no $section section"
  done
  MANWIDTH=80 man cadence 2>/dev/null | grep -q "warmup_minutes" || fail "man cadence does not list the config keys"
  MANWIDTH=80 man cadence.play 2>/dev/null | grep -q "cadence play -- Play a click\|cadence play — Play a click" \
    || fail "man cadence.play does not show the command"
  echo "man: $(ls /usr/share/man/man1/cadence*.1.gz | wc -l) pages, man -w cadence finds them"
fi

# The completion as bash-completion loads it (by the command's name, on demand).
completion=$(bash -c '
  source /usr/share/bash-completion/bash_completion
  _completion_loader cadence
  complete -p cadence || exit 3
  c() { COMP_WORDS=(cadence "$@"); COMP_CWORD=$#; COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
        COMPREPLY=(); _cadence cadence "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"; echo "${COMPREPLY[*]}"; }
  c ses; c play --sound h')
echo "$completion" | grep -q '^complete -o filenames -F _cadence cadence$' || fail "no bash completion: $completion"
echo "$completion" | grep -qx 'session' || fail "subcommands do not complete: $completion"
echo "$completion" | grep -qx 'hihat' || fail "sound names do not complete: $completion"
echo "completion: bash completes subcommands and sound names"

# A render from the installed files: the sounds come from /usr/share/cadence/sounds.
work=$(mktemp -d)
(cd "$work" && cadence render 170 --minutes 0.05 --sound hihat -o "$work/hihat.wav" >"$work/out" 2>"$work/err") \
  || fail "cadence render failed: $(cat "$work/err")"
[ ! -s "$work/err" ] || fail "cadence render complained: $(cat "$work/err")"
[ -s "$work/hihat.wav" ] || fail "cadence render wrote nothing"
CADENCE_SOUNDS_DIR=$work/none cadence render 170 --minutes 0.05 -o "$work/builtin.wav" 2>"$work/err2" >/dev/null || true
grep -q "built-in" "$work/err2" || fail "without sounds there is no fallback message, so the first render proves nothing"
rm -rf "$work"
echo "render: from /usr/share/cadence/sounds"

$sudo apt-get purge -y -qq cadence >/dev/null
trap - EXIT
dpkg-query -W -f '${db:Status-Status}' cadence 2>/dev/null | grep -q '^installed' && fail "cadence is still installed"
for path in /usr/bin/cadence /usr/share/cadence /usr/share/man/man1/cadence.1.gz \
  /usr/share/bash-completion/completions/cadence /usr/share/doc/cadence; do
  [ ! -e "$path" ] || fail "$path is left after purge"
done
echo "purge: nothing left"
