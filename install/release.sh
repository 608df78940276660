#!/usr/bin/env bash
# The kiosk's releases (installed as /usr/local/sbin/qsec-kiosk-release by install/install.sh):
#
#     qsec-kiosk-release list                 the installed releases; * the one running, - the previous one
#     qsec-kiosk-release switch RELEASE       stop the kiosk, back up the event log, run RELEASE, start it
#     qsec-kiosk-release rollback             switch back to the previous release
#
# The venue file (/etc/qsec-kiosk/venue.toml) and the data (/var/lib/qsec-kiosk) are never touched: a newer
# release brings the event log forward with its migrations when it starts. An older release cannot read a
# log that a newer one migrated: switching back then stops and says so; `--restore-backup FILE` puts the
# backup taken before the update back (the newer log is kept beside it, nothing is deleted).
#     --root DIR    operate on an installation in DIR (no systemctl call)
set -euo pipefail

ROOT=/
RESTORE=
ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --root) ROOT=$2; shift 2 ;;
        --restore-backup) RESTORE=$2; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) ARGS+=("$1"); shift ;;
    esac
done
set -- "${ARGS[@]+"${ARGS[@]}"}"
R=${ROOT%/}
OPT=$R/opt/qsec-kiosk
DATA=$R/var/lib/qsec-kiosk
DB=$DATA/events.sqlite3
LIVE=0; [ "$ROOT" = / ] && LIVE=1
KEEP_BACKUPS=5

fail() { echo "qsec-kiosk-release: $*" >&2; exit 1; }
release_of() { [ -L "$1" ] && basename "$(readlink "$1")" || true; }

cmd_list() {
    local current previous name mark
    current=$(release_of "$OPT/current"); previous=$(release_of "$OPT/previous")
    for dir in "$OPT"/releases/*/; do
        [ -e "$dir/.complete" ] || continue
        name=$(basename "$dir"); mark=" "
        [ "$name" = "$previous" ] && mark="-"
        [ "$name" = "$current" ] && mark="*"
        echo "$mark $name"
    done
}

# migrations the log has that RELEASE does not know (empty: RELEASE can open it)
unknown_migrations() {
    "$OPT/releases/$1/venv/bin/python" - "$DB" <<'PY'
import sqlite3, sys
from kiosk.store.migrations import MIGRATIONS
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
try:
    done = {name for (name,) in conn.execute("SELECT name FROM schema_migrations")}
except sqlite3.OperationalError:
    done = set()
print(" ".join(sorted(done - {name for name, _ in MIGRATIONS})))
PY
}

backup_log() {
    # a consistent copy through SQLite's backup API (the kiosk is stopped; the WAL is folded in)
    local target=$DATA/backups/events-$(date -u +%Y%m%dT%H%M%SZ)-before-$1.sqlite3 size free
    size=$(stat -c %s "$DB")
    free=$(df --output=avail -B1 "$DATA" | tail -1)
    [ "$free" -gt $((2 * size)) ] || fail "not enough free space to back up the event log ($size bytes) before switching"
    mkdir -p "$DATA/backups"
    python3 - "$DB" "$target" <<'PY'
import sqlite3, sys
src, dst = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
src.backup(dst)
dst.close(); src.close()
PY
    echo "event log backed up: ${target#"$R"}"
    # shellcheck disable=SC2012
    ls -1t "$DATA"/backups/events-*-before-*.sqlite3 | tail -n +$((KEEP_BACKUPS + 1)) | xargs -r rm -f
}

cmd_switch() {
    local target=$1 current newer
    [ -e "$OPT/releases/$target/.complete" ] || fail "no installed release '$target' (installed: $(cmd_list | tr '\n' ' '))"
    current=$(release_of "$OPT/current")
    if [ "$LIVE" = 1 ] && systemctl is-active --quiet qsec-kiosk; then
        echo "stopping the kiosk"
        systemctl stop qsec-kiosk
    fi
    if [ -e "$DB" ]; then
        backup_log "$target"
        newer=$(unknown_migrations "$target")
        if [ -n "$newer" ]; then
            if [ -z "$RESTORE" ]; then
                echo "release $target cannot read the event log: a newer release migrated it ($newer)." >&2
                echo "The kiosk stays on ${current:-nothing}. To go back anyway, put back the backup taken before the" >&2
                echo "update (events recorded since stay in the set-aside log, for a developer to upload):" >&2
                ls -1t "$DATA"/backups/events-*-before-*.sqlite3 | sed "s|^$R|  qsec-kiosk-release switch $target --restore-backup |" >&2
                [ "$LIVE" = 1 ] && [ -n "$current" ] && systemctl start qsec-kiosk
                exit 1
            fi
            [ -r "$R$RESTORE" ] || [ -r "$RESTORE" ] || fail "cannot read the backup $RESTORE"
            [ -r "$R$RESTORE" ] && RESTORE=$R$RESTORE
            mv "$DB" "$DATA/backups/events-set-aside-$(date -u +%Y%m%dT%H%M%SZ)-from-${current:-unknown}.sqlite3"
            rm -f "$DB-wal" "$DB-shm"
            cp "$RESTORE" "$DB"
            [ "$LIVE" = 1 ] && chown qsec:qsec "$DB"
            echo "event log: the backup ${RESTORE#"$R"} is back; the newer log is kept in ${DATA#"$R"}/backups"
            newer=$(unknown_migrations "$target")
            [ -z "$newer" ] || fail "release $target cannot read that backup either ($newer)"
        fi
    fi
    if [ -n "$current" ] && [ "$current" != "$target" ]; then
        ln -sfn "releases/$current" "$OPT/previous.new" && mv -T "$OPT/previous.new" "$OPT/previous"
    fi
    ln -sfn "releases/$target" "$OPT/current.new" && mv -T "$OPT/current.new" "$OPT/current"
    echo "release $target is current${current:+ (previous: $current)}"
    if [ "$LIVE" = 1 ]; then
        echo "starting the kiosk (it says READY once its first frame is on screen)"
        systemctl reset-failed qsec-kiosk 2>/dev/null || true
        systemctl start qsec-kiosk || fail "the kiosk did not start: journalctl -u qsec-kiosk -b; qsec-kiosk-release rollback"
    fi
}

case "${1:-}" in
    list) cmd_list ;;
    switch) [ -n "${2:-}" ] || fail "switch RELEASE (see: qsec-kiosk-release list)"; cmd_switch "$2" ;;
    rollback)
        previous=$(release_of "$OPT/previous")
        [ -n "$previous" ] || fail "no previous release to go back to"
        cmd_switch "$previous" ;;
    *) fail "list | switch RELEASE | rollback (see --help)" ;;
esac
