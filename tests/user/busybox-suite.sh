# SPDX-License-Identifier: MIT
# A shell suite run by busybox sh with busybox applets first in PATH; its
# output must be the same on the host's busybox and on riscv64 busybox
# under mimic-riscv64. Runs in an empty scratch directory.
set -e
echo "== sh"
x=0
for i in 1 2 3 4 5; do x=$((x + i * i)); done
echo "sum of squares $x"
f() { echo "args $# first $1"; return 3; }
f a b c || echo "status $?"
case "riscv64" in risc*) echo "case ok" ;; *) echo "case bad" ;; esac
s="hello world"; echo "${s#hello } ${#s} ${s%%o*}"
i=0; while [ $i -lt 3 ]; do i=$((i + 1)); done; echo "while $i"
echo "subshell $(echo nested $(echo deeper))"
( exit 4 ) || echo "subshell status $?"
echo "== seq, sort, uniq, wc"
seq 1 20 > nums
seq 5 -1 1 | sort -n | tr '\n' ' '; echo
seq 30 | sort | head -5 | tr '\n' ' '; echo
printf 'b\na\nb\nc\na\nb\n' | sort | uniq -c | sed 's/^ *//'
wc -l < nums
echo "== awk"
awk 'BEGIN { for (i = 1; i <= 5; i++) s = s i ","; print s }'
seq 10 | awk '$1 % 2 == 0 { even += $1 } END { printf "even %d avg %.2f\n", even, even / 5 }'
echo "alpha beta gamma" | awk '{ print toupper($2), length($3), NF }'
awk -F: '{ print $1 }' <<'X'
root:x:0
user:x:1000
X
echo "== sed, grep, cut"
seq 1 12 | sed -n '3,5p' | tr '\n' ' '; echo
echo "The quick brown fox" | sed -e 's/quick/slow/' -e 's/\([a-z]*\)$/[\1]/'
printf 'one\ntwo\nthree\nfour\n' > words
grep -n 'o' words
grep -c 'e' words
grep -v 't' words
grep -E '^(one|four)$' words | tr '\n' ' '; echo
echo "a,b,c,d" | cut -d, -f2,4
echo "== files, find, tar, gzip"
mkdir -p tree/a/b tree/c
for n in 1 2 3; do seq $n 10 > tree/a/f$n; done
echo data > tree/a/b/deep.txt
echo more > tree/c/other.txt
find tree -type f | sort
find tree -name '*.txt' | sort | xargs cat
find tree -type d | sort | xargs -n 2 echo pair
tar -cf tree.tar tree/a/f1 tree/a/b/deep.txt tree/c/other.txt
tar -tf tree.tar
mkdir out
tar -xf tree.tar -C out
cat out/tree/a/b/deep.txt
seq 1 2000 > big
gzip -c big > big.gz
gunzip -c big.gz | md5sum | cut -d' ' -f1
md5sum big | cut -d' ' -f1
md5sum words nums
rm big.gz
gzip big
ls big*
gunzip big.gz
wc -c < big
echo "== date, xargs, misc"
date -u -d '2021-03-04 05:06:07' '+%Y-%m-%d %H:%M:%S %j %a'
date -u -d @1000000000 '+%F %T'
echo 1 2 3 4 5 6 | xargs -n 2 | tr '\n' ';'; echo
seq 3 | xargs -I{} echo item {}
expr 6 \* 7
basename /a/b/c.txt .txt
dirname /a/b/c.txt
printf '%05d|%-4s|%x\n' 42 ab 255
head -c 5 words; echo
tail -n 2 nums | tr '\n' ' '; echo
echo "done"
