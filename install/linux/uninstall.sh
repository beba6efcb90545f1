#!/usr/bin/env bash
# Removes a Ferry service installed by install.sh. Configuration and data stay (a reinstall picks them up,
# the agent still enrolled) unless --purge is given. Safe to run again.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: uninstall.sh [options]

  --role agent|relay     which service to remove (default: agent)
  --prefix DIR           program files (default: /opt/ferry)
  --user NAME            the service user (default: ferry)
  --config-dir DIR       configuration (default: /etc/ferry)
  --data-dir DIR         data (default: /var/lib/ferry)
  --root DIR             uninstall below DIR, without touching users or systemd (FERRY_INSTALL_ROOT)
  --purge                also delete the role's configuration and data (the agent's identity and outbox:
                         results not yet delivered are lost) and, when no Ferry service is left, the user
EOF
}

die() { echo "uninstall.sh: $*" >&2; exit 2; }
say() { echo "uninstall.sh: $*"; }

role=agent prefix=/opt/ferry user=ferry config_dir=/etc/ferry data_root=/var/lib/ferry
root=${FERRY_INSTALL_ROOT:-} purge=0
need() { if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value"; fi; }
while [ $# -gt 0 ]; do
  case "$1" in
    --role) need "$@"; role=$2; shift ;;
    --prefix) need "$@"; prefix=$2; shift ;;
    --user) need "$@"; user=$2; shift ;;
    --config-dir) need "$@"; config_dir=$2; shift ;;
    --data-dir) need "$@"; data_root=$2; shift ;;
    --root) need "$@"; root=$2; shift ;;
    --purge) purge=1 ;;
    --unattended|-y) ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
  shift
done
case "$role" in agent|relay) ;; *) die "--role must be agent or relay, was '$role'" ;; esac
staged=0
if [ -n "$root" ]; then
  staged=1
  [ -d "$root" ] || die "--root $root does not exist"
  root=$(cd "$root" && pwd)
else
  [ "$(id -u)" -eq 0 ] || die "run as root (sudo $0 …), or with --root DIR"
fi

P=$root$prefix C=$root$config_dir D=$root$data_root
unit_dir=$root/etc/systemd/system
unit=ferry-$role.service

if [ "$staged" -eq 0 ] && [ -d /run/systemd/system ]; then
  systemctl disable --now --quiet "$unit" 2>/dev/null || true
fi
rm -rf "${unit_dir:?}/$unit" "${unit_dir:?}/$unit.d"
if [ "$staged" -eq 0 ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl reset-failed "$unit" 2>/dev/null || true
fi
say "removed the service $unit"

others=$(find "$unit_dir" -maxdepth 1 -name 'ferry-*.service' 2>/dev/null | wc -l)
if [ "$others" -eq 0 ]; then
  if [ -e "$P" ]; then
    rm -rf "$P"
    say "removed $prefix"
  fi
else
  say "kept $prefix: another Ferry service still uses it"
fi

if [ "$purge" -eq 1 ]; then
  rm -f "$C/$role.properties" "$C/$role.env"
  rm -rf "${D:?}/$role"
  rmdir "$C" 2>/dev/null || true
  rmdir "$D" 2>/dev/null || true
  say "purged the $role's configuration and data"
  # The user goes only with the last of Ferry's files: a kept configuration or data directory still
  # belongs to it, and a user created anew could get another uid.
  if [ "$others" -eq 0 ] && [ ! -e "$C" ] && [ ! -e "$D" ] && [ "$staged" -eq 0 ] && getent passwd "$user" >/dev/null; then
    userdel "$user" 2>/dev/null || true
    if getent group "$user" >/dev/null; then groupdel "$user" 2>/dev/null || true; fi
    say "removed the user $user"
  fi
else
  say "kept the configuration in $config_dir and the data in $data_root/$role (--purge removes them)"
fi
