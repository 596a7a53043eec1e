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
# starts, after initdb.
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
cat >>$d/data/postgresql.conf <<EOC
shared_buffers = ${sb}MB
huge_pages = off
max_connections = $((conns + 10))
listen_addresses = ''
unix_socket_directories = '$d'
dynamic_shared_memory_type = mmap
max_parallel_workers_per_gather = 0
jit = off
fsync = off
synchronous_commit = off
timezone = 'GMT'
log_timezone = 'GMT'
EOC
snap idle
pg "$bin/pg_ctl -D $d/data -l $d/server.log -w -t 600 start" >$d/pg_ctl.log 2>&1
t $? "server started"
psql="$bin/psql -X -q -At -v ON_ERROR_STOP=1 -h $d -d postgres"
cat >$d/setup.sql <<EOC
CREATE EXTENSION pg_prewarm;
CREATE UNLOGGED TABLE fill (id int, pad text);
ALTER TABLE fill ALTER pad SET STORAGE PLAIN;
INSERT INTO fill SELECT g, repeat('x', 1000) FROM generate_series(1, $rows) g;
SELECT pg_prewarm('fill');
SELECT pg_relation_size('fill') / 1024;
EOC
out=$(pg "$psql -f $d/setup.sql" 2>&1)
rc=$?
set -- $out
pages=${1:-0} table_kb=${2:-0}
t $rc "table filled and prewarmed: $pages pages, $table_kb kB"
cat >$d/conn.sql <<EOC
SELECT count(*) FROM fill;
\\! touch $d/ready.\$PPID
\\! while [ ! -e $d/release ]; do sleep 1; done
EOC
chmod 644 $d/*.sql
for i in $(seq "$conns"); do
	(pg "$psql -f $d/conn.sql" >$d/conn.$i.out 2>&1; echo $? >$d/conn.$i.rc) &
done
wait_files "$d/ready.*" "$conns" 3600 "$d/conn.*.rc"
t $? "$conns connections scanned the table and stay open"
pids=$(pids_of "postgres: postgres postgres [local]")
nb=$(echo $pids | wc -w)
range=$(rss_range RssShmem $pids)
echo "# $nb backends, RssShmem ${range% *} to ${range#* } kB"
pte_note backends $pids
pte_note "all of PostgreSQL" $(pids_of "$bin/postgres ") $(pids_of "postgres: ")
[ "$nb" = "$conns" ] && [ "${range% *}" -ge "$table_kb" ]
t $? "every backend maps the whole table in the pool: RssShmem at least $table_kb kB"
snap peak
touch $d/release
wait
bad=0
for i in $(seq "$conns"); do
	[ "$(cat $d/conn.$i.rc)" = 0 ] && [ "$(head -n 1 $d/conn.$i.out)" = "$rows" ] || {
		bad=$((bad + 1))
		echo "# connection $i: exit $(cat $d/conn.$i.rc): $(head -n 2 $d/conn.$i.out | tr '\n' ' ')"
	}
done
t $bad "every session counted $rows rows and exited 0"
pg "$bin/pg_ctl -D $d/data -m fast -w stop" >>$d/pg_ctl.log 2>&1
t $? "server stopped"
[ "$fail" = 0 ] || { echo "# server log:"; tail -n 20 $d/server.log | sed 's/^/# /'; }
rm -rf $d
