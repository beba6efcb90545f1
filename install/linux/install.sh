#!/usr/bin/env bash
# Installs Ferry from this unpacked distribution as a systemd service: the agent (next to SAP) or the
# relay (in the cloud). Safe to run again: a second run with the same flags changes nothing, a run from
# a newer distribution upgrades (see docs/operations.md).
#
#   sudo linux/install.sh --role agent --relay-url https://relay.example.com --enrollment-token fe_… \
#        --sap-ashost erp.example.local --sap-sysnr 00 --sap-client 100 --sap-user FERRY_RFC --unattended
#
# Layout: PREFIX/releases/VERSION (this distribution), PREFIX/current -> releases/VERSION,
# CONFIG_DIR (0750 root:USER) with ROLE.properties (0640 root:USER: the service reads its configuration,
# the on-prem allowlist included, and cannot change it) and ROLE.env (0600 root:root: passwords for
# systemd's EnvironmentFile), DATA_DIR (0750 root:USER), DATA_DIR/ROLE (0700 USER:USER: everything the
# service writes, its enrollment credentials and key included), /etc/systemd/system/ferry-ROLE.service.
#
# --root DIR (or FERRY_INSTALL_ROOT) installs below DIR instead of / and skips everything that changes the
# host itself: useradd, systemctl and enrollment as the service user. Owners are set below DIR only when
# the script runs as root and USER already exists. That is how the tests run it, and how a package build
# can stage the files.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: install.sh [options]

  --role agent|relay          what to install (default: agent)
  --prefix DIR                program files (default: /opt/ferry)
  --user NAME                 system user the service runs as, created if absent (default: ferry)
  --config-dir DIR            configuration, root's and read by the service (default: /etc/ferry)
  --data-dir DIR              data; the role's files go to DIR/ROLE (default: /var/lib/ferry)
  --java-home DIR             the Java 21+ runtime to use (default: found under /usr/lib/jvm)
  --root DIR                  install below DIR, without touching users or systemd (FERRY_INSTALL_ROOT);
                              owners are set only when run as root and the user exists
  --no-start                  install and enable the service, but do not (re)start it
  --unattended, -y            never prompt; a missing answer is an error or a default
  --set KEY=VALUE             any setting of the role's configuration (repeatable), e.g. --set agent.workers=8

Agent:
  --relay-url URL             the relay to enroll with
  --enrollment-token TOKEN    one-time token from `ferry admin agents enroll` (or FERRY_ENROLLMENT_TOKEN);
                              the agent is enrolled once, a later run with a token leaves it as it is
  --agent-name NAME           name operators see (default: the host name)
  --sap-backend bapi|odata    how the agent reaches SAP (default: bapi)
  --sap-client NNN  --sap-user USER                 the chosen backend's client and user
  --sap-ashost HOST  --sap-sysnr NN  --sap-lang XX   (bapi)
  --sap-mshost HOST  --sap-r3name SID  --sap-group GROUP        (bapi) message-server logon instead of --sap-ashost
  --sap-odata-url URL         API_BUSINESS_PARTNER's service URL (--sap-backend odata)
  --sap-password-stdin        read the SAP password from standard input (or set FERRY_SAP_PASSWORD); it goes
                              to CONFIG_DIR/agent.env (0600, root), never to the properties file
  --sapjco DIR                copy SAP's sapjco3.jar and its native library from DIR into lib/

Relay:
  --port N                    port to listen on (default: 8080)
  --public-url URL            the URL engines use to reach the relay
EOF
}

die() { echo "install.sh: $*" >&2; exit 2; }
say() { echo "install.sh: $*"; }

role=agent prefix=/opt/ferry user=ferry config_dir=/etc/ferry data_root=/var/lib/ferry
root=${FERRY_INSTALL_ROOT:-} java_home='' start=1 unattended=0
relay_url='' token=${FERRY_ENROLLMENT_TOKEN:-} agent_name='' sapjco_dir='' sap_password=${FERRY_SAP_PASSWORD:-}
settings=()
# The SAP answers, kept apart until the backend is known: each becomes the chosen backend's setting only.
sap_backend='' sap_client='' sap_user='' rfc_settings=() odata_settings=()

need() { if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value"; fi; }
while [ $# -gt 0 ]; do
  case "$1" in
    --role) need "$@"; role=$2; shift ;;
    --prefix) need "$@"; prefix=$2; shift ;;
    --user) need "$@"; user=$2; shift ;;
    --config-dir) need "$@"; config_dir=$2; shift ;;
    --data-dir) need "$@"; data_root=$2; shift ;;
    --java-home) need "$@"; java_home=$2; shift ;;
    --root) need "$@"; root=$2; shift ;;
    --no-start) start=0 ;;
    --unattended|-y) unattended=1 ;;
    --set) need "$@"; [[ $2 == *=* ]] || die "--set needs KEY=VALUE, was '$2'"; settings+=("$2"); shift ;;
    --relay-url) need "$@"; relay_url=$2; shift ;;
    --enrollment-token) need "$@"; token=$2; shift ;;
    --agent-name) need "$@"; agent_name=$2; shift ;;
    --sap-backend) need "$@"; sap_backend=$2; shift ;;
    --sap-ashost) need "$@"; rfc_settings+=("sap.jco.jco.client.ashost=$2"); shift ;;
    --sap-sysnr) need "$@"; rfc_settings+=("sap.jco.jco.client.sysnr=$2"); shift ;;
    --sap-client) need "$@"; sap_client=$2; shift ;;
    --sap-user) need "$@"; sap_user=$2; shift ;;
    --sap-lang) need "$@"; rfc_settings+=("sap.jco.jco.client.lang=$2"); shift ;;
    --sap-mshost) need "$@"; rfc_settings+=("sap.jco.jco.client.mshost=$2"); shift ;;
    --sap-r3name) need "$@"; rfc_settings+=("sap.jco.jco.client.r3name=$2"); shift ;;
    --sap-group) need "$@"; rfc_settings+=("sap.jco.jco.client.group=$2"); shift ;;
    --sap-odata-url) need "$@"; odata_settings+=("sap.odata.service-url=$2"); shift ;;
    --sap-password-stdin) IFS= read -r sap_password || true ;;
    --sapjco) need "$@"; sapjco_dir=$2; shift ;;
    --port) need "$@"; settings+=("relay.port=$2"); shift ;;
    --public-url) need "$@"; settings+=("relay.public-url=$2"); shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
  shift
done

case "$role" in agent|relay) ;; *) die "--role must be agent or relay, was '$role'" ;; esac
[[ $user =~ ^[a-z_][a-z0-9_-]*$ ]] || die "--user must be a plain user name, was '$user'"
for d in "$prefix" "$config_dir" "$data_root"; do
  [[ $d == /* ]] || die "directories must be absolute paths, was '$d'"
done
if [ -n "$root" ]; then
  mkdir -p "$root"
  root=$(cd "$root" && pwd)
  staged=1
else
  staged=0
  [ "$(id -u)" -eq 0 ] || die "run as root (sudo $0 …), or with --root DIR to stage the files into DIR"
fi

dist=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$dist/lib/ferry.jar" ] || [ ! -f "$dist/VERSION" ]; then
  die "run this script from an unpacked distribution (ferry-VERSION.tar.gz); $dist has no lib/ferry.jar"
fi
version=$(tr -d '[:space:]' < "$dist/VERSION")

if [ "$role" = agent ] && [ "$unattended" -eq 0 ] && [ -t 0 ]; then
  if [ -z "$relay_url" ]; then read -r -p "Relay URL (empty: enroll later): " relay_url; fi
  if [ -n "$relay_url" ] && [ -z "$token" ]; then read -r -s -p "Enrollment token: " token; echo; fi
fi
if [ -n "$token" ] && [ -z "$relay_url" ]; then die "--enrollment-token needs --relay-url"; fi

P=$root$prefix C=$root$config_dir D=$root$data_root
unit_dir=$root/etc/systemd/system
unit=ferry-$role.service
service_data=$data_root/$role
config=$C/$role.properties

# --- the SAP answers, as settings of the chosen backend only -------------------------------------------
# The backend: --sap-backend, else a --set sap.backend=…, else what the configuration says, else bapi.
if [ "$role" = agent ]; then
  if [ -z "$sap_backend" ]; then
    for s in "${settings[@]+"${settings[@]}"}"; do
      if [[ $s == sap.backend=* ]]; then sap_backend=${s#sap.backend=}; fi
    done
  fi
  if [ -z "$sap_backend" ] && [ -f "$config" ]; then
    sap_backend=$(sed -n 's/^sap\.backend=[[:space:]]*\([a-z]*\).*/\1/p' "$config" | head -n 1)
  fi
  backend_given=$sap_backend
  sap_backend=${sap_backend:-bapi}
  sap_settings=()
  case "$sap_backend" in
    bapi)
      [ ${#odata_settings[@]} -eq 0 ] || die "--sap-odata-url is for --sap-backend odata; this agent uses bapi"
      if [ -n "$sap_client" ]; then rfc_settings+=("sap.jco.jco.client.client=$sap_client"); fi
      if [ -n "$sap_user" ]; then rfc_settings+=("sap.jco.jco.client.user=$sap_user"); fi
      sap_settings=("${rfc_settings[@]+"${rfc_settings[@]}"}") ;;
    odata)
      [ ${#rfc_settings[@]} -eq 0 ] || die "--sap-ashost, --sap-sysnr, --sap-lang, --sap-mshost, --sap-r3name and --sap-group are for --sap-backend bapi; this agent uses odata"
      if [ -n "$sap_client" ]; then odata_settings+=("sap.odata.client=$sap_client"); fi
      if [ -n "$sap_user" ]; then odata_settings+=("sap.odata.user=$sap_user"); fi
      sap_settings=("${odata_settings[@]+"${odata_settings[@]}"}") ;;
    *) die "--sap-backend must be bapi or odata, was '$sap_backend'" ;;
  esac
  if [ -n "$backend_given" ]; then sap_settings=("sap.backend=$sap_backend" "${sap_settings[@]+"${sap_settings[@]}"}"); fi
  # Before the --set ones, so that a --set of the same key wins.
  settings=("${sap_settings[@]+"${sap_settings[@]}"}" "${settings[@]+"${settings[@]}"}")
elif [ -n "$sap_backend$sap_client$sap_user" ] || [ ${#rfc_settings[@]} -gt 0 ] || [ ${#odata_settings[@]} -gt 0 ]; then
  die "the --sap-* options are for --role agent"
fi

# Files are written through this folder and put in place only when their bytes change: a second run with
# the same answers leaves every file, and its times, as they were.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
place() { # place NEW TARGET: TARGET gets NEW's bytes unless it has them already; NEW is removed
  if ! cmp -s "$1" "$2"; then cat "$1" > "$2"; fi
  rm -f "$1"
}

# --- user ---------------------------------------------------------------------------------------------
if [ "$staged" -eq 0 ]; then
  if ! getent passwd "$user" >/dev/null; then
    useradd --system --user-group --home-dir "$data_root" --no-create-home --shell /usr/sbin/nologin \
      --comment "Ferry $role" "$user"
    say "created system user $user"
  fi
fi
# Staged below --root, owners are set only where they can be: as root, for a user (and its group) this
# host has.
chown_ok=0
if [ "$staged" -eq 0 ]; then
  chown_ok=1
elif [ "$(id -u)" -eq 0 ] && getent passwd "$user" >/dev/null && getent group "$user" >/dev/null; then
  chown_ok=1
fi
owner() { if [ "$chown_ok" -eq 1 ]; then chown "$@"; fi; }

# --- program files: PREFIX/releases/VERSION and the current link --------------------------------------
release=$P/releases/$version
mkdir -p "$P/releases"
# The release is copied again only when it differs from this distribution (SAP's JCo files aside).
changed=
if [ "$dist" != "$release" ] && [ -d "$release" ]; then
  changed=$(diff -rq "$dist" "$release" 2>&1 | grep -v -e "^Only in $release/lib: sapjco3.jar\$" \
    -e "^Only in $release/lib: libsapjco3.so\$" || true)
fi
if [ "$dist" != "$release" ] && { [ ! -d "$release" ] || [ -n "$changed" ]; }; then
  rm -rf "$release.new"
  cp -R "$dist" "$release.new"
  # SAP's JCo is not part of the distribution: keep the one the running release has.
  if [ -d "$P/current/lib" ]; then
    for f in "$P"/current/lib/sapjco3.jar "$P"/current/lib/libsapjco3.so; do
      [ -f "$f" ] && cp -p "$f" "$release.new/lib/"
    done
  fi
  rm -rf "$release"
  mv "$release.new" "$release"
fi
if [ -n "$sapjco_dir" ]; then
  [ -f "$sapjco_dir/sapjco3.jar" ] || die "--sapjco $sapjco_dir has no sapjco3.jar"
  for f in "$sapjco_dir/sapjco3.jar" "$sapjco_dir/libsapjco3.so"; do
    if [ -f "$f" ] && ! cmp -s "$f" "$release/lib/$(basename "$f")"; then cp "$f" "$release/lib/"; fi
  done
fi
chmod -R u+rwX,go+rX,go-w "$release"
owner -R root:root "$release"
if [ "$(readlink "$P/current" 2>/dev/null || true)" != "releases/$version" ]; then
  ln -sfn "releases/$version" "$P/current.new"
  mv -T "$P/current.new" "$P/current"
fi

# --- configuration and data ---------------------------------------------------------------------------
# The configuration is root's: the service's group may read it, the service may not change it (the
# allowlist policy.* is its limit). The data root is root's too, so the service cannot create, rename or
# remove anything beside its own role's directory, which is the only place it writes.
mkdir -p "$C" "$D/$role"
chmod 0750 "$C"
owner "root:$user" "$C"
chmod 0750 "$D"
owner "root:$user" "$D"
chmod 0700 "$D/$role"
# Recursively: after an uninstall without --purge and a new user (another uid), the kept identity and
# outbox must become the service's again.
owner -R "$user:$user" "$D/$role"

# Sets KEY=VALUE in a properties file: replaces the first line with KEY= (or a commented #KEY=), else
# appends it. Plain string comparison, so dots and slashes in keys need no escaping.
set_property() {
  local file=$1 key=${2%%=*} value=${2#*=}
  K=$key V=$value awk '
    BEGIN { k = ENVIRON["K"]; v = ENVIRON["V"]; done = 0 }
    !done && (index($0, k "=") == 1 || index($0, "#" k "=") == 1) { print k "=" v; done = 1; next }
    { print }
    END { if (!done) print k "=" v }' "$file" > "$work/property"
  place "$work/property" "$file"
}

wrote=0
if [ ! -f "$config" ]; then
  cp "$dist/conf/$role.properties" "$config"
  chmod 0640 "$config"
  set_property "$config" "$role.data-dir=$service_data"
  if [ "$role" = agent ] && [ "$sap_backend" = odata ]; then
    # The example's RFC destination would only mislead next to an OData service.
    sed 's/^sap\.jco\./#sap.jco./' "$config" > "$work/property"
    place "$work/property" "$config"
  fi
  wrote=1
fi
for s in "${settings[@]+"${settings[@]}"}"; do
  set_property "$config" "$s"
done
chmod 0640 "$config"
owner "root:$user" "$config"
# "Edit it" only when an answer is missing: the agent's SAP system (not given now and the example's
# placeholder host still in the file, or no OData service URL).
missing=
sap_host_given=0
for s in "${settings[@]+"${settings[@]}"}"; do
  case "$s" in sap.jco.jco.client.ashost=?*|sap.jco.jco.client.mshost=?*) sap_host_given=1 ;; esac
done
if [ "$role" = agent ]; then
  if [ "$sap_backend" = odata ]; then
    grep -q '^sap\.odata\.service-url=..*' "$config" || missing="the OData service (sap.odata.service-url, or --sap-odata-url)"
  elif [ "$sap_host_given" -eq 0 ] \
      && { grep -q '^sap\.jco\.jco\.client\.ashost=erp\.example\.local$' "$config" \
           || ! grep -q '^sap\.jco\.jco\.client\.\(ashost\|mshost\)=..*' "$config"; }; then
    # Not answered now, and the file has the example's placeholder host (or no host at all).
    missing="the SAP system (sap.jco.jco.client.ashost or mshost, or --sap-ashost / --sap-mshost)"
  fi
fi
staged_note=$([ -n "$root" ] && echo " (staged)" || true)
if [ -n "$missing" ]; then
  say "$config$staged_note lacks $missing: edit it, then: systemctl restart $unit"
elif [ "$wrote" -eq 1 ]; then
  say "wrote $config$staged_note"
fi

if [ -n "$sap_password" ]; then
  envfile=$C/$role.env
  # Made 0600 before anything is in it.
  if [ ! -f "$envfile" ]; then install -m 0600 /dev/null "$envfile"; fi
  chmod 0600 "$envfile"
  escaped=${sap_password//\\/\\\\}
  escaped=${escaped//\"/\\\"}
  grep -v '^FERRY_SAP_PASSWORD=' "$envfile" > "$work/env" || true
  printf 'FERRY_SAP_PASSWORD="%s"\n' "$escaped" >> "$work/env"
  place "$work/env" "$envfile"
  owner root:root "$envfile"
fi

# --- systemd unit -------------------------------------------------------------------------------------
caps=
if [ "$role" = relay ]; then
  port=$(sed -n 's/^relay\.port=\([0-9]*\).*/\1/p' "$config" | head -n 1)
  if [ -n "$port" ] && [ "$port" -lt 1024 ]; then caps=CAP_NET_BIND_SERVICE; fi
fi
run=run
[ "$role" = relay ] && run=serve
mkdir -p "$unit_dir"
sed -e "s|@ROLE@|$role|g" -e "s|@RUN@|$run|g" -e "s|@USER@|$user|g" -e "s|@HOME@|$prefix/current|g" \
    -e "s|@CONFIG@|$config_dir/$role.properties|g" -e "s|@ENV_FILE@|$config_dir/$role.env|g" \
    -e "s|@DATA_DIR@|$service_data|g" -e "s|@CAPABILITIES@|$caps|g" \
    "$dist/linux/ferry.service.in" > "$work/unit"
place "$work/unit" "$unit_dir/$unit"
chmod 0644 "$unit_dir/$unit"
dropin=$unit_dir/$unit.d
if [ -n "$java_home" ]; then
  [ -n "$root" ] || [ -x "$java_home/bin/java" ] || die "--java-home $java_home has no bin/java"
  mkdir -p "$dropin"
  printf '[Service]\nEnvironment=JAVA_HOME=%s\n' "$java_home" > "$work/java.conf"
  place "$work/java.conf" "$dropin/java.conf"
  chmod 0644 "$dropin/java.conf"
fi

# --- enrollment ---------------------------------------------------------------------------------------
if [ "$role" = agent ] && [ -n "$token" ]; then
  if [ -f "$D/agent/credentials.json" ]; then
    say "the agent is already enrolled ($data_root/agent/credentials.json); token not used"
  else
    say "enrolling with $relay_url"
    enroll=("$P/current/bin/ferry" agent enroll --relay "$relay_url" --config "$config" --data-dir "$D/agent")
    [ -n "$agent_name" ] && enroll+=(--name "$agent_name")
    jh=()
    [ -n "$java_home" ] && jh=(JAVA_HOME="$java_home")
    # The token travels in the environment, not on the command line other users can read.
    if [ "$staged" -eq 0 ]; then
      env FERRY_AGENT_TOKEN="$token" "${jh[@]+"${jh[@]}"}" runuser -u "$user" -- "${enroll[@]}"
    else
      env FERRY_AGENT_TOKEN="$token" "${jh[@]+"${jh[@]}"}" "${enroll[@]}"
      # Staged, the enrollment ran as this script's user: its files go to the service (when owners are set).
      owner -R "$user:$user" "$D/agent"
    fi
  fi
fi

# --- service ------------------------------------------------------------------------------------------
if [ "$staged" -eq 1 ]; then
  say "installed Ferry $version ($role) below $root; systemctl and useradd skipped (--root)"
  exit 0
fi
if [ ! -d /run/systemd/system ]; then
  say "systemd is not running on this host (PID 1 is $(ps -p 1 -o comm= 2>/dev/null || echo unknown)):"
  say "the unit $unit_dir/$unit is written but not enabled; start Ferry with your service manager:"
  say "  runuser -u $user -- $prefix/current/bin/ferry $role $run --config $config_dir/$role.properties"
  exit 0
fi
systemctl daemon-reload
systemctl enable --quiet "$unit"
if [ "$start" -eq 0 ]; then
  say "installed Ferry $version ($role); enabled, not started (--no-start): systemctl start $unit"
  exit 0
fi
if [ "$role" = agent ] && [ ! -f "$D/agent/credentials.json" ]; then
  say "installed Ferry $version (agent); not started because it is not enrolled yet:"
  say "  sudo -u $user FERRY_AGENT_TOKEN=fe_… $prefix/current/bin/ferry agent enroll --relay URL --config $config"
  say "  systemctl start $unit"
  exit 0
fi
# restart, not start: after an upgrade the new release must run.
systemctl restart "$unit"
# "active" right after the start says little (Type=exec: the launcher was executed, no more): wait until
# the agent reports its own state (its status file, rewritten every few seconds), or until the relay has
# stayed up for a few seconds.
up=0
for _ in $(seq 1 60); do
  state=$(systemctl show -p ActiveState --value "$unit")
  if [ "$state" = failed ]; then break; fi
  if [ "$state" = active ]; then
    up=$((up + 1))
    if [ "$role" = agent ]; then
      if runuser -u "$user" -- "$prefix/current/bin/ferry" agent status --config "$config" >/dev/null 2>&1; then
        say "Ferry $version (agent) is running: ferry agent status shows its last poll; journalctl -u $unit its log"
        exit 0
      fi
    elif [ "$up" -ge 5 ]; then
      say "Ferry $version (relay) is running: systemctl status $unit, journalctl -u $unit"
      exit 0
    fi
  fi
  sleep 1
done
systemctl --no-pager status "$unit" >&2 || true
echo "install.sh: $unit did not come up within a minute; see journalctl -u $unit" >&2
exit 1
