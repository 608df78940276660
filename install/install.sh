#!/usr/bin/env bash
# Install (or update) a QSEC² kiosk in one step, from this release's source tree, with the venue's file:
#
#     sudo ./install/install.sh config/venues/my-venue.toml
#
# It installs Debian's packages (X, xinit, time sync, speech), makes the user qsec, puts this release in
# /opt/qsec-kiosk/releases/<release>/ with its own virtualenv, the venue file in /etc/qsec-kiosk/venue.toml,
# the sensors' udev rules, the systemd unit, and starts the kiosk. Run again from a newer release with
# /etc/qsec-kiosk/venue.toml to update (the venue file and the data stay; `qsec-kiosk-release rollback`
# goes back). INSTALL.md says each step and how to check it.
#
#     install.sh --root DIR --no-apt VENUE.toml   the same into DIR (an image being prepared, the tests):
#                                                 no package, no systemctl/udevadm call, nothing started
#     install.sh --release NAME ...               name the release (default: its git tag, or version-commit)
set -euo pipefail

ROOT=/
APT=1
RELEASE=
VENUE=
while [ $# -gt 0 ]; do
    case "$1" in
        --root) ROOT=$2; shift 2 ;;
        --no-apt) APT=0; shift ;;
        --release) RELEASE=$2; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
        *) VENUE=$1; shift ;;
    esac
done

SRC=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$ROOT" 2>/dev/null && pwd) || { echo "install.sh: --root: no such directory" >&2; exit 2; }
LIVE=0; [ "$ROOT" = / ] && LIVE=1
R=${ROOT%/}
OPT=$R/opt/qsec-kiosk
ETC=$R/etc/qsec-kiosk
PACKAGES="python3-venv python3-pip xserver-xorg-core xserver-xorg-input-libinput xinit x11-xserver-utils
          systemd-timesyncd espeak-ng sqlite3"

step() { echo; echo "== $*"; }
fail() { echo "install.sh: $*" >&2; exit 1; }

[ -n "$VENUE" ] || fail "give the venue file: sudo ./install/install.sh config/venues/my-venue.toml"
[ -r "$VENUE" ] || fail "cannot read the venue file $VENUE"
VENUE=$(cd "$(dirname "$VENUE")" && pwd)/$(basename "$VENUE")
if [ "$LIVE" = 1 ] && [ "$(id -u)" != 0 ]; then fail "run it as root: sudo $0 $VENUE"; fi
if [ -z "$RELEASE" ]; then
    RELEASE=$(git -C "$SRC" describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null) || RELEASE=
    if [ -z "$RELEASE" ]; then
        version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$SRC/pyproject.toml" | head -1)
        commit=$(git -C "$SRC" rev-parse --short HEAD 2>/dev/null) || commit=local
        RELEASE="$version-$commit"
    fi
fi
case "$RELEASE" in *[!A-Za-z0-9._+-]*|"") fail "release name '$RELEASE': letters, digits, . _ + - only" ;; esac
REL=$OPT/releases/$RELEASE

step "1/7 Debian packages"
if [ "$APT" = 1 ]; then
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PACKAGES
else
    echo "skipped (--no-apt): $PACKAGES" | tr -s ' \n' ' '; echo
fi

step "2/7 user qsec"
install -D -m 0644 "$SRC/install/sysusers.conf" "$R/etc/sysusers.d/qsec-kiosk.conf"
systemd-sysusers --root="$ROOT" "$R/etc/sysusers.d/qsec-kiosk.conf"
grep '^qsec:' "$R/etc/passwd"

step "3/7 release $RELEASE in its own virtualenv"
if [ -x "$REL/venv/bin/kiosk" ] && [ -e "$REL/.complete" ]; then
    echo "already installed: $REL"
else
    rm -rf "$REL"
    mkdir -p "$REL/src"
    tar -C "$SRC" --exclude=./.git --exclude=./.venv --exclude='*.egg-info' --exclude=__pycache__ \
        --exclude=./tests --exclude=./bench --exclude=node_modules -cf - . | tar -C "$REL/src" -xf -
    python3 -m venv "$REL/venv"
    "$REL/venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$REL/src[kiosk]"
    echo "$RELEASE" > "$REL/.complete"
fi
"$REL/venv/bin/kiosk" --help > /dev/null

step "4/7 venue file"
# checked by the release that will run it, before anything changes on this machine
"$REL/venv/bin/kiosk" check-config "$VENUE"
mkdir -p "$ETC"
if [ "$VENUE" != "$ETC/venue.toml" ]; then
    if [ -e "$ETC/venue.toml" ] && ! cmp -s "$VENUE" "$ETC/venue.toml"; then
        cp -p "$ETC/venue.toml" "$ETC/venue.toml.$(date +%Y%m%d-%H%M%S)"
        echo "the previous venue file is kept beside it"
    fi
    install -m 0644 "$VENUE" "$ETC/venue.toml"
fi
echo "$ETC/venue.toml"

step "5/7 sensors: udev rules"
mkdir -p "$R/etc/udev/rules.d"
"$REL/venv/bin/kiosk" sensors --udev-rules --config "$ETC/venue.toml" > "$R/etc/udev/rules.d/70-qsec-kiosk.rules.new"
mv "$R/etc/udev/rules.d/70-qsec-kiosk.rules.new" "$R/etc/udev/rules.d/70-qsec-kiosk.rules"
grep -c SYMLINK "$R/etc/udev/rules.d/70-qsec-kiosk.rules" | sed 's/$/ stable sensor name(s)/' || true
if [ "$LIVE" = 1 ]; then udevadm control --reload && udevadm trigger --subsystem-match=tty; fi

step "6/7 systemd unit, session, release tool, time sync"
install -D -m 0755 "$SRC/install/qsec-kiosk-session" "$OPT/bin/qsec-kiosk-session"
install -D -m 0755 "$SRC/install/release.sh" "$OPT/bin/qsec-kiosk-release"
mkdir -p "$R/usr/local/sbin"
ln -sfn /opt/qsec-kiosk/bin/qsec-kiosk-release "$R/usr/local/sbin/qsec-kiosk-release"
install -D -m 0644 "$SRC/install/qsec-kiosk.service" "$R/etc/systemd/system/qsec-kiosk.service"
mkdir -p "$R/var/lib/qsec-kiosk"
if [ "$LIVE" = 1 ]; then
    chown qsec:qsec /var/lib/qsec-kiosk && chmod 0750 /var/lib/qsec-kiosk
    timedatectl set-ntp true || echo "time sync could not be switched on (timedatectl set-ntp true)"
    systemctl daemon-reload
fi
systemctl --root="$ROOT" enable qsec-kiosk.service

step "7/7 switch to $RELEASE and start"
"$OPT/bin/qsec-kiosk-release" --root "$ROOT" switch "$RELEASE"
echo
echo "Installed: release $RELEASE, venue file /etc/qsec-kiosk/venue.toml, data in /var/lib/qsec-kiosk."
[ "$LIVE" = 1 ] && echo "Check: systemctl status qsec-kiosk   (INSTALL.md, step 4)"
exit 0
