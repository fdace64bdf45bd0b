#!/bin/sh
# A small process tree for the kill tests. Writes every pid it creates to the file named by $1,
# one per line: two sleeping children, a nested shell and that shell's own sleeping child, and
# itself. With "ignore-term" as $2 the whole tree ignores SIGTERM, so only SIGKILL ends it.
out="$1"
if [ "$2" = "ignore-term" ]; then
    trap '' TERM
fi
sleep 300 &
echo $! >> "$out"
sleep 300 &
echo $! >> "$out"
/bin/sh -c 'sleep 300 & echo $! >> "$1"; echo $$ >> "$1"; wait' nested "$out" &
echo $$ >> "$out"
echo "tree started"
wait
