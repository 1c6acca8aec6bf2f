#!/usr/bin/env bash
# A throw-away single-node SLURM cluster on localhost, for testing `snakemake --profile profiles/slurm`.
#
#   tests/slurm/local-cluster.sh start    # install (Debian: munge slurmctld slurmd slurm-client) if
#                                         # missing, write the config, start the daemons, wait for idle
#   source "$NANODEX_SLURM_ROOT/env.sh"   # then sinfo / sbatch / squeue talk to this cluster
#   tests/slurm/local-cluster.sh stop     # stop only the daemons this script started (pid files)
#
# Everything (config, munge key and socket, state, logs, pid files) lives under $NANODEX_SLURM_ROOT
# (default /tmp/nanodex-slurm); nothing under /etc is written, traffic stays on 127.0.0.1.
# Two partitions: `cpu` (default) and `gpu`. The node has one fake GPU: a gres `gpu` backed by
# /dev/null (SLURM accepts it with task/none; a gres without File= drains the node), so
# `--gres=gpu:1` schedules and sets CUDA_VISIBLE_DEVICES=0, but no real device is behind it.
# No accounting daemon (slurmdbd): `sacct` is disabled, so the profile polls with squeue, and
# MinJobAge keeps finished jobs visible to squeue for 10 minutes.
set -euo pipefail

ROOT=${NANODEX_SLURM_ROOT:-/tmp/nanodex-slurm}
CTLD_PORT=${NANODEX_SLURM_CTLD_PORT:-16917}
SLURMD_PORT=${NANODEX_SLURM_SLURMD_PORT:-16918}
WAIT_S=${NANODEX_SLURM_WAIT_S:-60}
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
CONF=$ROOT/etc/slurm.conf
RUN=$ROOT/run
MUNGE_SOCKET=$RUN/munge.socket.2

log() { echo "[local-cluster] $*" >&2; }

# Is this pid alive and the daemon we expect (not a recycled pid)? A zombie is not alive: in a
# container whose pid 1 does not reap, an exited daemon stays one.
is_daemon() {
    local pid=$1 name=$2 stat
    [[ $pid =~ ^[0-9]+$ ]] && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$name" ]] || return 1
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != [ZX] ]]
}

# Print the pid in this pid file if that daemon is alive. A daemon deletes its own pid file as it
# exits, so the file may vanish between any two reads: read it once, never test-then-read.
live_pid() {
    local pidfile=$1 name=$2 pid
    pid=$(cat "$pidfile" 2>/dev/null) || return 1
    is_daemon "$pid" "$name" || return 1
    echo "$pid"
}

alive() { live_pid "$1" "$2" >/dev/null; }

stop_daemon() {
    local name=$1 pid
    pid=$(live_pid "$RUN/$name.pid" "$name") || { rm -f "$RUN/$name.pid"; return 0; }
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do is_daemon "$pid" "$name" || break; sleep 0.2; done
    if is_daemon "$pid" "$name"; then log "$name ignored SIGTERM for 20 s; SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
    rm -f "$RUN/$name.pid"
}

install_packages() {
    local missing=() b
    for b in munged slurmctld slurmd sinfo sbatch squeue scontrol; do
        command -v "$b" >/dev/null 2>&1 || missing+=("$b")
    done
    ((${#missing[@]})) || return 0
    [[ $(id -u) == 0 ]] || { log "missing ${missing[*]}; run as root to apt-get install munge slurmctld slurmd slurm-client"; exit 1; }
    log "installing munge slurmctld slurmd slurm-client (missing: ${missing[*]})"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends munge slurmctld slurmd slurm-client >/dev/null
}

write_config() {
    local node cpus mem_mb changed=0 f
    node=$(hostname -s)
    cpus=$(nproc)
    # Leave the submit side (snakemake, the light rules) some memory.
    mem_mb=$(awk '/MemTotal/ {print int($2 / 1024 * 0.75)}' /proc/meminfo)
    mkdir -p "$ROOT"/{etc,log,spool/ctld,spool/d,munge,bin} "$RUN"
    chmod 700 "$ROOT/munge"
    if [[ ! -s $ROOT/munge/munge.key ]]; then
        dd if=/dev/urandom of="$ROOT/munge/munge.key" bs=1 count=1024 status=none
        chmod 400 "$ROOT/munge/munge.key"
    fi
    cat >"$CONF.new" <<CONF
# written by tests/slurm/local-cluster.sh
ClusterName=nanodex
SlurmctldHost=${node}(127.0.0.1)
SlurmctldPort=${CTLD_PORT}
SlurmdPort=${SLURMD_PORT}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${MUNGE_SOCKET}
SlurmUser=root
SlurmdUser=root
StateSaveLocation=${ROOT}/spool/ctld
SlurmdSpoolDir=${ROOT}/spool/d
SlurmctldPidFile=${RUN}/slurmctld.pid
SlurmdPidFile=${RUN}/slurmd.pid
SlurmctldLogFile=${ROOT}/log/slurmctld.log
SlurmdLogFile=${ROOT}/log/slurmd.log
# containers and VMs without cgroup delegation
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
# squeue is the plugin's status source here; it must still see a job a while after it ended
MinJobAge=600
GresTypes=gpu
NodeName=${node} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${mem_mb} Gres=gpu:1 State=UNKNOWN
PartitionName=cpu Nodes=${node} Default=YES MaxTime=INFINITE State=UP
PartitionName=gpu Nodes=${node} MaxTime=INFINITE State=UP
CONF
    cat >"$ROOT/etc/gres.conf.new" <<CONF
AutoDetect=off
NodeName=${node} Name=gpu Count=1 File=/dev/null
CONF
    for f in "$CONF" "$ROOT/etc/gres.conf"; do
        if cmp -s "$f.new" "$f"; then rm -f "$f.new"; else mv "$f.new" "$f"; changed=1; fi
    done
    if ((changed)); then stop_daemon slurmd; stop_daemon slurmctld; fi
    # The jobstep plugin drops SLURM_* (SLURM_CONF too) before its inner srun: wrappers carry it.
    for c in sbatch srun squeue sinfo scontrol scancel sacct salloc sstat; do
        printf '#!/bin/sh\nSLURM_CONF=%q exec /usr/bin/%s "$@"\n' "$CONF" "$c" >"$ROOT/bin/$c"
        chmod 755 "$ROOT/bin/$c"
    done
    printf 'export SLURM_CONF=%q\nexport PATH=%q:"$PATH"\n' "$CONF" "$ROOT/bin" >"$ROOT/env.sh"
}

start() {
    install_packages
    write_config
    export SLURM_CONF=$CONF
    if ! alive "$RUN/munged.pid" munged; then
        log "starting munged"
        munged --socket="$MUNGE_SOCKET" --key-file="$ROOT/munge/munge.key" --pid-file="$RUN/munged.pid" \
            --seed-file="$ROOT/munge/munged.seed" --log-file="$ROOT/log/munged.log"
    fi
    alive "$RUN/slurmctld.pid" slurmctld || { log "starting slurmctld"; slurmctld; }
    alive "$RUN/slurmd.pid" slurmd || { log "starting slurmd"; slurmd; }
    local deadline=$((SECONDS + WAIT_S)) state node
    node=$(hostname -s)
    while :; do
        state=$(sinfo -h -N -n "$node" -o '%T' 2>/dev/null | head -n1 || true)
        case $state in
        idle | mixed | allocated | completing) break ;;
        drain* | down* | inval*) scontrol update nodename="$node" state=resume 2>/dev/null || true ;;
        esac
        if ((SECONDS >= deadline)); then
            log "node $node not idle after ${WAIT_S} s (state '$state'); logs in $ROOT/log"
            tail -n 5 "$ROOT/log/slurmctld.log" "$ROOT/log/slurmd.log" >&2 || true
            exit 1
        fi
        sleep 0.5
    done
    # After a restart slurmctld restores the node as idle before slurmd re-registers: prove a job runs.
    timeout "$WAIT_S" srun -p cpu -N1 -n1 -t 1 true || { log "'srun true' failed; logs in $ROOT/log"; exit 1; }
    log "up: node $node $state; source $ROOT/env.sh"
}

stop() {
    # cancel this cluster's jobs first (bounded: scancel waits for a controller that does not answer)
    if [[ -f $CONF ]] && alive "$RUN/slurmctld.pid" slurmctld; then
        SLURM_CONF=$CONF timeout 30 scancel --user="$(id -un)" 2>/dev/null || true
    fi
    stop_daemon slurmd
    stop_daemon slurmctld
    stop_daemon munged
    rm -f "$MUNGE_SOCKET" "$MUNGE_SOCKET.lock"
    log "stopped"
}

case ${1:-} in
start) start ;;
stop) stop ;;
*) echo "usage: $0 start|stop   (state under \$NANODEX_SLURM_ROOT, default /tmp/nanodex-slurm)" >&2; exit 2 ;;
esac
