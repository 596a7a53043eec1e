#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# SQLite 3 in the guest: sh sqlite.sh [<processes> [<database MB>]]
# A database of about <MB> (default 128) in a tmpfs, then <processes>
# (default 8) sqlite3 shells, each mapping the whole file (PRAGMA
# mmap_size: reads go through a shared file mapping instead of read())
# and summing every row, staying open while snapshot "peak" is taken.
# Snapshot "idle" is taken after the database is written.
. /lib/workloads/lib.sh
procs=${1:-8} mb=${2:-128}
d=/tmp/sq
# blobs of 1000 bytes, four to a 4 KiB page
rows=$((mb * 1024 * 1024 / 4096 * 4))
echo "TAP version 13"
echo "1..4"
echo "# $procs processes, a database of $rows rows of 1000 bytes"
rm -rf $d && mkdir -p $d
sqlite3 $d/db "PRAGMA page_size = 4096; CREATE TABLE t(b BLOB);
	WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < $rows)
	INSERT INTO t SELECT randomblob(1000) FROM c;" >$d/create.log 2>&1
rc=$?
db_kb=$(($(stat -c %s $d/db 2>/dev/null || echo 0) / 1024))
t $rc "database written: $db_kb kB $(head -n 1 $d/create.log)"
snap idle
# each shell reads from a FIFO held open on fd 20 + i (lib.sh's hold),
# opened once every shell has started
pids=
for i in $(seq "$procs"); do
	mkfifo $d/in.$i
	sqlite3 $d/db <$d/in.$i >$d/p.out.$i 2>&1 &
	pids="$pids $!"
done
for i in $(seq "$procs"); do
	hold $d/in.$i $((20 + i))
	printf '%s\n' "PRAGMA mmap_size = $(((db_kb + 1024) * 1024));" \
		'SELECT sum(length(b)) FROM t;' ".shell touch $d/ready.$i" >&$((20 + i))
done
wait_ready "$d/ready.*" "$procs" 1200 $pids
t $? "$procs sqlite3 shells read the database and stay open"
snap peak
np=$(echo $pids | wc -w)
range=$(rss_range RssShmem $pids)
echo "# $np shells, RssShmem (the tmpfs file's pages) ${range% *} to ${range#* } kB"
pte_note shells $pids
[ "${range% *}" -ge $((db_kb * 9 / 10)) ]
t $? "every shell maps at least 90% of the database"
reap shell $d/p.out last $((rows * 1000)) 1 $pids
t $bad "every shell summed $((rows * 1000)) bytes and exited 0"
rm -rf $d
