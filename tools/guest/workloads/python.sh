#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Python 3.11 in the guest: sh python.sh [<processes>]
# <processes> (default 32) interpreters, each importing a broad part of
# the standard library (its .py modules and lib-dynload's extension
# modules, which map their shared libraries) and staying alive while
# snapshot "peak" is taken: many small processes with many file mappings,
# unlike the two big shared mappings of postgres.sh and sqlite.sh.
# One interpreter runs first to write the bytecode caches; snapshot
# "idle" is taken after it.
. /lib/workloads/lib.sh
procs=${1:-32}
d=/tmp/py
mods="argparse asyncio collections csv dataclasses datetime decimal email.parser
      hashlib http.client json logging pathlib pickle random re sqlite3 ssl
      subprocess tarfile unittest urllib.request uuid xml.etree.ElementTree zipfile"
echo "TAP version 13"
echo "1..3"
rm -rf $d && mkdir -p $d
cat >$d/imports.py <<EOC
import os, sys, time
for m in "$(echo $mods)".split():
    __import__(m)
print(len(sys.modules))
if len(sys.argv) > 1:
    open("$d/ready.%d" % os.getpid(), "w").close()
    while not os.path.exists("$d/release"):
        time.sleep(0.5)
EOC
python3.11 $d/imports.py >$d/warm.out 2>&1
t $? "one interpreter imported $(echo $mods | wc -w) modules ($(tail -n 1 $d/warm.out) in sys.modules)"
snap idle
pids=
for i in $(seq "$procs"); do
	python3.11 $d/imports.py wait >$d/p.out.$i 2>&1 &
	pids="$pids $!"
done
wait_ready "$d/ready.*" "$procs" 1200 $pids
t $? "$procs interpreters imported them and stay alive"
snap peak
range=$(rss_range VmRSS $pids)
echo "# $(echo $pids | wc -w) interpreters, VmRSS ${range% *} to ${range#* } kB"
pte_note interpreters $pids
touch $d/release
reap interpreter $d/p.out all "$(tail -n 1 $d/warm.out)" 0 $pids
t $bad "every interpreter exited 0 with the same modules"
rm -rf $d
