#!/usr/bin/env bash
# A real single-node Slurm cluster on this machine, from Debian's packages, for the scheduler
# test (test/slurm.test.ts); what it takes is in ../shared/notes/slurm.md.
#   bash scripts/slurm-cluster.sh up     install (if needed) and start munge, slurmctld, slurmd
#   bash scripts/slurm-cluster.sh down   stop them
# Root only (CI and the development machines run as root). Only loopback addresses are used.
set -euo pipefail
action=${1:-up}

stop_pidfile() {
  local f=$1 name=$2
  [ -f "$f" ] || return 0
  local pid
  pid=$(cat "$f" 2>/dev/null || true)
  # a PID file survives a reused machine: check the process is the daemon before killing it
  if [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$name" ]; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
  fi
  rm -f "$f"
}

if [ "$action" = down ]; then
  stop_pidfile /run/slurm/slurmd.pid slurmd
  stop_pidfile /run/slurm/slurmctld.pid slurmctld
  stop_pidfile /run/munge/munged.pid munged
  echo "slurm: stopped"
  exit 0
fi

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
fi

# munge: its run directory, a key, and the daemon as the munge user (it refuses root)
mkdir -p /run/munge /var/log/munge /var/lib/munge /etc/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
[ -s /etc/munge/munge.key ] || { mungekey --create --keyfile /etc/munge/munge.key 2>/dev/null || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none; }
chown munge:munge /etc/munge/munge.key
chmod 400 /etc/munge/munge.key
stop_pidfile /run/munge/munged.pid munged
runuser -u munge -- munged

host=$(hostname -s)
hw=$(slurmd -C | head -1)
get() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$hw"; }
mem=$(get RealMemory)
mem=$(( mem * 9 / 10 ))
mkdir -p /run/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /etc/slurm
cat > /etc/slurm/slurm.conf <<EOF
ClusterName=infomem-ci
SlurmctldHost=${host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=cred_expire=10
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherParams=OverMemoryKill
JobAcctGatherFrequency=1
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=500
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0,sched_interval=1,bf_interval=1
MinJobAge=600
MailProg=/bin/true
ReturnToService=2
NodeName=${host} NodeAddr=127.0.0.1 CPUs=$(get CPUs) Boards=$(get Boards) SocketsPerBoard=$(get SocketsPerBoard) CoresPerSocket=$(get CoresPerSocket) ThreadsPerCore=$(get ThreadsPerCore) RealMemory=${mem} State=UNKNOWN
PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP
EOF
stop_pidfile /run/slurm/slurmd.pid slurmd
stop_pidfile /run/slurm/slurmctld.pid slurmctld
slurmctld -c
slurmd
for _ in $(seq 1 100); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed)'; then
    echo "slurm: up (${host}, $(get CPUs) CPUs, ${mem} MB)"
    exit 0
  fi
  sleep 0.2
done
echo "slurm: the node did not become idle" >&2
sinfo >&2 || true
exit 1
