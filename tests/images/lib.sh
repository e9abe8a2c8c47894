# SPDX-License-Identifier: MIT
# lib.sh: helpers shared by the guest-image build scripts (sourced, never run).
#
# The caller sets IMAGES (this directory) before sourcing. Every artefact
# lives in $CACHE/<kind>/<key>/ where <key> hashes its whole recipe; a
# directory is only ever created by renaming a finished temporary one, so a
# directory that exists is complete.

CACHE=${MIMIC_CACHE:-$HOME/.cache/mimic}
WORK=$CACHE/work
CROSS=riscv64-linux-gnu-

say() {
	printf 'images: %s\n' "$*" >&2
}

die() {
	printf 'images: error: %s\n' "$*" >&2
	exit 1
}

# Version of an installed Debian package, or fail naming it.
pkg_version() {
	dpkg-query -W -f='${Version}' "$1" 2>/dev/null | grep . ||
		die "Debian package $1 is not installed (run scripts/install-deps)"
}

# Newest version of a Debian source package known to apt (needs deb-src).
src_version() {
	best=""
	for v in $(apt-cache showsrc --only-source "$1" 2>/dev/null | sed -n 's/^Version: //p'); do
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then
			best=$v
		fi
	done
	[ -n "$best" ] ||
		die "apt knows no source package $1: add a deb-src entry (scripts/install-deps does) and run apt-get update"
	printf '%s\n' "$best"
}

# Short hash of stdin: names cache directories.
short_hash() {
	sha256sum | cut -c1-16
}

# Hash of files' names and contents plus extra words (package versions...).
recipe_hash() {
	{
		for f in "$@"; do
			if [ -f "$f" ]; then
				printf 'file %s\n' "${f#"$IMAGES"/}"
				cat "$f"
			else
				printf 'word %s\n' "$f"
			fi
		done
	} | short_hash
}

# A fresh temporary directory inside the cache. Its creator removes it on
# exit; ./build clears those of killed builds while it holds the lock.
make_tmp() {
	mkdir -p "$WORK"
	mktemp -d "$WORK/tmp.$1.XXXXXX"
}

# Run a command with its output in a log; on failure show the log's tail and
# stop with one line naming the step.
run_logged() {
	log=$1
	what=$2
	shift 2
	if ! "$@" >>"$log" 2>&1; then
		tail -n 40 "$log" >&2
		die "$what failed (full log: $log)"
	fi
}

# Move a finished temporary directory to its final name, atomically.
publish() {
	mkdir -p "$(dirname "$2")"
	chmod 755 "$1"
	mv -T "$1" "$2" || die "cannot rename $1 to $2"
}

jobs_count() {
	nproc 2>/dev/null || echo 2
}

# Print a .config (stdin) without the symbols that fragment $1 sets, so the
# fragment can be appended without "override" warnings.
config_drop_keys() {
	awk -v frag="$1" '
	function key(line,   a) {
		if (match(line, /^CONFIG_[A-Za-z0-9_]+=/))
			return substr(line, 1, RLENGTH - 1)
		if (match(line, /^# CONFIG_[A-Za-z0-9_]+ is not set/)) {
			split(line, a, " ")
			return a[2]
		}
		return ""
	}
	BEGIN {
		while ((getline line < frag) > 0)
			if (key(line) != "")
				drop[key(line)] = 1
	}
	!(key($0) in drop)'
}

# The settings of fragment $1: its CONFIG_X=v and "# CONFIG_X is not set"
# lines, without the comments that explain them.
config_settings() {
	grep -E '^CONFIG_[A-Za-z0-9_]+=|^# CONFIG_[A-Za-z0-9_]+ is not set' "$1"
}

# Fail naming every setting of fragment $1 that did not survive in .config $2.
config_check() {
	lost=$(config_settings "$1" | while IFS= read -r line; do
		case $line in
		CONFIG_*)
			name=${line%%=*}
			grep -qxF "$line" "$2" ||
				printf '  %s (now: %s)\n' "$line" \
					"$(grep -E "^$name=|^# $name is not set" "$2" || echo absent)"
			;;
		*)
			name=${line#\# }
			name=${name%% *}
			if grep -q "^$name=" "$2"; then
				printf '  %s (now: %s)\n' "$line" "$(grep "^$name=" "$2")"
			fi
			;;
		esac
	done)
	if [ -n "$lost" ]; then
		printf '%s\n' "$lost" >&2
		die "$(basename "$1"): the settings above did not survive (missing dependency?)"
	fi
}
