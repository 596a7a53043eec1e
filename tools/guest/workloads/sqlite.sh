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
db_kb=$(($(stat -c %s $d/db) / 1024))
t $rc "database written: $db_kb kB $(head -n 1 $d/create.log)"
snap idle
for i in $(seq "$procs"); do
	(sqlite3 $d/db >$d/p.$i.out 2>&1 <<EOC
PRAGMA mmap_size = $(((db_kb + 1024) * 1024));
SELECT sum(length(b)) FROM t;
.shell touch $d/ready.\$PPID
.shell while [ ! -e $d/release ]; do sleep 1; done
EOC
	echo $? >$d/p.$i.rc) &
done
wait_files "$d/ready.*" "$procs" 3600 "$d/p.*.rc"
t $? "$procs sqlite3 shells read the database and stay open"
pids=$(pids_of "sqlite3 $d/db")
np=$(echo $pids | wc -w)
range=$(rss_range RssShmem $pids)
echo "# $np shells, RssShmem (the tmpfs file's pages) ${range% *} to ${range#* } kB"
pte_note shells $pids
[ "$np" = "$procs" ] && [ "${range% *}" -ge $((db_kb * 9 / 10)) ]
t $? "every shell maps at least 90% of the database"
snap peak
touch $d/release
wait
bad=0
for i in $(seq "$procs"); do
	[ "$(cat $d/p.$i.rc)" = 0 ] && [ "$(tail -n 1 $d/p.$i.out)" = $((rows * 1000)) ] || {
		bad=$((bad + 1))
		echo "# shell $i: exit $(cat $d/p.$i.rc): $(head -n 2 $d/p.$i.out | tr '\n' ' ')"
	}
done
t $bad "every shell summed $((rows * 1000)) bytes and exited 0"
rm -rf $d
