#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# PostgreSQL 15 in the guest: sh postgres.sh [<connections> [<shared_buffers MB>]]
# A cluster in a tmpfs (initdb), shared_buffers of <MB> (default 256) in
# 4K pages (huge_pages off; the pool is one shared anonymous mapping),
# an unlogged table of 90% of it read into the pool with pg_prewarm,
# then <connections> (default 32) psql sessions, each scanning the whole
# table (no parallel workers), so that every backend maps the pool with
# page tables of its own, and staying connected while the page-table
# snapshot "peak" is taken. Snapshot "idle" is taken before the server
# starts, after initdb: "peak" holds the server's processes and the psql
# clients.
. /lib/workloads/lib.sh
conns=${1:-32} sb=${2:-256}
bin=/usr/lib/postgresql/15/bin d=/tmp/pg
# rows of 1000 bytes, stored plain (uncompressed, in line): 7 to a page
rows=$((sb * 1024 * 1024 / 10 * 9 / 8192 * 7))
echo "TAP version 13"
echo "1..7"
echo "# $conns connections, shared_buffers ${sb}MB, a table of $rows rows"
grep -qs '^postgres:' /etc/passwd || echo 'postgres:x:100:100:PostgreSQL:/tmp/pg:/bin/sh' >>/etc/passwd
grep -qs '^postgres:' /etc/group || echo 'postgres:x:100:' >>/etc/group
rm -rf $d && mkdir -p $d && chown postgres:postgres $d
pg() { su postgres -c "$*"; }
pg "$bin/initdb -D $d/data --no-locale -E UTF8 -U postgres -A trust" >$d/initdb.log 2>&1
t $? "initdb: $(grep -m 1 -E '^(Success|initdb: error)' $d/initdb.log)"
# autovacuum off: no worker comes and goes between the snapshots (the
# table is never updated); no parallel workers, no JIT
cat >>$d/data/postgresql.conf <<EOC
shared_buffers = ${sb}MB
huge_pages = off
max_connections = $((conns + 10))
listen_addresses = ''
unix_socket_directories = '$d'
dynamic_shared_memory_type = mmap
max_parallel_workers_per_gather = 0
jit = off
autovacuum = off
fsync = off
synchronous_commit = off
timezone = 'GMT'
log_timezone = 'GMT'
EOC
snap idle
pg "$bin/pg_ctl -D $d/data -l $d/server.log -w -t 600 start" >$d/pg_ctl.log 2>&1
t $? "server started"
# psql as the postgres role over the socket (trust), run by root
psql="$bin/psql -X -q -At -v ON_ERROR_STOP=1 -h $d -U postgres -d postgres"
cat >$d/setup.sql <<EOC
CREATE EXTENSION pg_prewarm;
CREATE UNLOGGED TABLE fill (id int, pad text);
ALTER TABLE fill ALTER pad SET STORAGE PLAIN;
INSERT INTO fill SELECT g, repeat('x', 1000) FROM generate_series(1, $rows) g;
SELECT pg_prewarm('fill');
SELECT pg_relation_size('fill') / 1024;
EOC
out=$($psql -f $d/setup.sql 2>&1)
rc=$?
set -- $out
pages=${1:-0} table_kb=${2:-0}
t $rc "table filled and prewarmed: $pages pages, $table_kb kB"
# Each session reads its commands from a FIFO that this script holds
# open on fd 20 + i, opened once every session has started (so that none
# inherits another's): the scan, then a ready file (a short-lived shell),
# then nothing until the FIFO closes. The backends stay connected, idle,
# with no process of ours waiting beside them.
pids=
for i in $(seq "$conns"); do
	mkfifo $d/in.$i
	$psql <$d/in.$i >$d/conn.out.$i 2>&1 &
	pids="$pids $!"
done
for i in $(seq "$conns"); do
	hold $d/in.$i $((20 + i))
	printf '%s\n' 'SELECT count(*) FROM fill;' "\\! touch $d/ready.$i" >&$((20 + i))
done
wait_ready "$d/ready.*" "$conns" 1200 $pids
t $? "$conns connections scanned the table and stay open"
snap peak
backends=$(pids_of "postgres: postgres postgres [local]")
nb=$(echo $backends | wc -w)
range=$(rss_range RssShmem $backends)
echo "# $nb backends, RssShmem ${range% *} to ${range#* } kB"
pte_note backends $backends
pte_note "the server" $(pids_of "$bin/postgres ") $(pids_of "postgres: ")
pte_note "the psql clients" $pids
[ "$nb" = "$conns" ] && [ "${range% *}" -ge "$table_kb" ]
t $? "every backend maps the whole table in the pool: RssShmem at least $table_kb kB"
reap connection $d/conn.out first "$rows" 1 $pids
t $bad "every session counted $rows rows and exited 0"
pg "$bin/pg_ctl -D $d/data -m fast -w stop" >>$d/pg_ctl.log 2>&1
t $? "server stopped"
[ "$fail" = 0 ] || { echo "# server log:"; tail -n 20 $d/server.log | sed 's/^/# /'; }
rm -rf $d
