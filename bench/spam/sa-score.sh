#!/usr/bin/env bash
# Scores one message file with spamc against the bench's spamd; prints "<file>\t<score>".
# Called by spam-accuracy.sh through xargs (several in parallel). -s: no 500 KB size skip.
f=$1
r=$(spamc -d 127.0.0.1 -p "$SA_PORT" -s 20000000 -t 300 -c < "$f")
printf '%s\t%s\n' "${f##*/}" "${r%%/*}"
