/* SPDX-License-Identifier: MIT */
/* mimic-riscv64: run a riscv64 Linux program on this host. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config.h"
#include "linux-user/user.h"
#include "target/riscv/cpu.h"
#include "util/log.h"

extern char **environ;

struct options {
	const char *argv0;
	const char *cpu;
	const char *gdb; /* -g: where gdb connects */
	char **env_set;
	size_t num_env_set;
	char **env_unset;
	size_t num_env_unset;
};

static void usage(void)
{
	printf("usage: mimic-riscv64 [options] program [arguments...]\n"
	       "Linux riscv64 user-mode emulator\n\n"
	       "Options and their environment variables:\n"
	       "  -h, -help            print this help and exit\n"
	       "  -version             print the version and exit\n"
	       "  -L path              MIMIC_LD_PREFIX   ELF interpreter prefix "
	       "(default /usr/riscv64-linux-gnu)\n"
	       "  -E var=value         MIMIC_SET_ENV     set a guest "
	       "environment variable\n"
	       "  -U var               MIMIC_UNSET_ENV   remove a guest "
	       "environment variable\n"
	       "  -0 argv0             MIMIC_ARGV0       the program's "
	       "argv[0]\n"
	       "  -cpu model           MIMIC_CPU         rv64, max (-cpu help "
	       "lists)\n"
	       "  -accel engine        MIMIC_ACCEL       jit (default) or "
	       "interp\n"
	       "  -s size              MIMIC_STACK_SIZE  guest stack size "
	       "(default 8M)\n"
	       "  -strace              MIMIC_STRACE      log system calls\n"
	       "  -d item[,...]        MIMIC_LOG         log categories "
	       "(-d help lists)\n"
	       "  -D logfile           MIMIC_LOG_FILENAME write the log "
	       "there\n"
	       "  -g port|unix:path    MIMIC_GDB         wait for gdb there "
	       "before the\n"
	       "                                         first instruction\n");
}

static bool parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	switch (*end) {
	case 'k':
	case 'K':
		v <<= 10;
		end++;
		break;
	case 'm':
	case 'M':
		v <<= 20;
		end++;
		break;
	case 'g':
	case 'G':
		v <<= 30;
		end++;
		break;
	default:
		break;
	}
	if (*end || v < 65536 || v > (1ull << 34)) {
		return false;
	}
	*out = v;
	return true;
}

static bool add_list(char ***list, size_t *n, const char *value)
{
	char **bigger = realloc(*list, (*n + 1) * sizeof(**list));

	if (!bigger) {
		return false;
	}
	*list = bigger;
	bigger[(*n)++] = (char *)value;
	return true;
}

/* Apply one option; false (with errp set) for a bad value. */
static bool apply_option(struct options *opts, const char *name,
			 const char *value, struct error **errp)
{
	if (!strcmp(name, "L")) {
		user_settings.ld_prefix = value;
	} else if (!strcmp(name, "E")) {
		if (!strchr(value, '=')) {
			error_setg(errp, "-E %s: expected var=value", value);
			return false;
		}
		return add_list(&opts->env_set, &opts->num_env_set, value);
	} else if (!strcmp(name, "U")) {
		return add_list(&opts->env_unset, &opts->num_env_unset, value);
	} else if (!strcmp(name, "0")) {
		opts->argv0 = value;
	} else if (!strcmp(name, "cpu")) {
		opts->cpu = value;
	} else if (!strcmp(name, "g")) {
		opts->gdb = value;
	} else if (!strcmp(name, "accel")) {
		return riscv_engine_select(value, errp);
	} else if (!strcmp(name, "s")) {
		if (!parse_size(value, &user_settings.stack_size)) {
			error_setg(errp, "-s %s: bad stack size", value);
			return false;
		}
	} else if (!strcmp(name, "d")) {
		user_settings.log_spec = value;
		return log_set_categories(value, errp);
	} else if (!strcmp(name, "D")) {
		user_settings.log_file = value;
		return log_set_file(value, errp);
	}
	return true;
}

static bool option_takes_value(const char *name)
{
	static const char *const with_value[] = { "L",	   "E", "U", "0", "cpu",
						  "accel", "s", "d", "D", "g" };

	for (size_t i = 0; i < ARRAY_SIZE(with_value); i++) {
		if (!strcmp(name, with_value[i])) {
			return true;
		}
	}
	return false;
}

static bool apply_environment(struct options *opts, struct error **errp)
{
	static const struct {
		const char *var, *option;
	} vars[] = {
		{ "MIMIC_LD_PREFIX", "L" },    { "MIMIC_SET_ENV", "E" },
		{ "MIMIC_UNSET_ENV", "U" },    { "MIMIC_ARGV0", "0" },
		{ "MIMIC_CPU", "cpu" },	       { "MIMIC_STACK_SIZE", "s" },
		{ "MIMIC_ACCEL", "accel" },    { "MIMIC_LOG", "d" },
		{ "MIMIC_LOG_FILENAME", "D" }, { "MIMIC_GDB", "g" },
	};
	const char *strace = getenv("MIMIC_STRACE");

	for (size_t i = 0; i < ARRAY_SIZE(vars); i++) {
		const char *v = getenv(vars[i].var);

		if (v && *v && !apply_option(opts, vars[i].option, v, errp)) {
			return false;
		}
	}
	if (strace && *strace && strcmp(strace, "0")) {
		user_settings.strace = true;
	}
	return true;
}

/* Returns the index of the program in argv, or -1 after an error/exit. */
static int parse_args(int argc, char **argv, struct options *opts,
		      struct error **errp)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *name = argv[i] + 1 + (argv[i][1] == '-');

		if (!strcmp(argv[i], "--")) {
			return i + 1;
		}
		if (!strcmp(name, "h") || !strcmp(name, "help")) {
			usage();
			exit(0);
		}
		if (!strcmp(name, "version")) {
			printf("mimic-riscv64 version %s\n", MIMIC_VERSION);
			exit(0);
		}
		if (!strcmp(name, "strace")) {
			user_settings.strace = true;
			continue;
		}
		if (!option_takes_value(name)) {
			error_setg(errp, "unknown option '%s' (try -help)",
				   argv[i]);
			return -1;
		}
		if (i + 1 >= argc) {
			error_setg(errp, "option '%s' needs a value", argv[i]);
			return -1;
		}
		if (!apply_option(opts, name, argv[i + 1], errp)) {
			return -1;
		}
		i++;
	}
	return i;
}

static bool check_cpu(const char *cpu, struct error **errp)
{
	if (!cpu || !strcmp(cpu, "rv64") || !strcmp(cpu, "max") ||
	    !strcmp(cpu, "any")) {
		return true;
	}
	if (!strcmp(cpu, "help")) {
		printf("Available CPUs:\n  rv64 (%s)\n  max\n",
		       riscv_cpu_isa_string());
		exit(0);
	}
	error_setg(errp, "unknown CPU model '%s' (-cpu help lists them)", cpu);
	return false;
}

/* The guest environment: ours with -E and -U applied. */
static char **guest_environment(const struct options *opts)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ[n]) {
		n++;
	}
	env = calloc(n + opts->num_env_set + 1, sizeof(*env));
	if (!env) {
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		env[k++] = environ[i];
	}
	for (size_t u = 0; u < opts->num_env_unset; u++) {
		size_t len = strlen(opts->env_unset[u]);

		for (size_t i = 0; i < k; i++) {
			if (!strncmp(env[i], opts->env_unset[u], len) &&
			    env[i][len] == '=') {
				env[i--] = env[--k];
			}
		}
	}
	for (size_t s = 0; s < opts->num_env_set; s++) {
		size_t len = strcspn(opts->env_set[s], "=") + 1;
		size_t i;

		for (i = 0; i < k; i++) {
			if (!strncmp(env[i], opts->env_set[s], len)) {
				break;
			}
		}
		env[i] = opts->env_set[s];
		k += i == k;
	}
	env[k] = NULL;
	return env;
}

static bool map_trampoline(struct error **errp)
{
	/* li a7, 139 (rt_sigreturn); ecall */
	static const uint32_t code[] = { 0x08b00893, 0x00000073 };
	int64_t page = mm_mmap(0, USER_PAGE_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (page < 0) {
		error_setg(errp, "cannot map the signal trampoline");
		return false;
	}
	memcpy(g2h((gva_t)page), code, sizeof(code));
	mm_mprotect((gva_t)page, USER_PAGE_SIZE, PROT_READ | PROT_EXEC);
	mm_set_name((gva_t)page, (gva_t)page + USER_PAGE_SIZE, "[vdso]");
	signal_set_trampoline((gva_t)page);
	return true;
}

static bool start(int argc, char **argv, int prog, struct options *opts,
		  struct error **errp)
{
	struct user_load_args load = { 0 };
	char resolved[PATH_MAX], self[PATH_MAX];
	struct riscv_cpu *cpu;
	struct user_thread *thread;
	ssize_t n;
	uint64_t mask = 0;

	load.path = argv[prog];
	load.ld_prefix = user_settings.ld_prefix;
	load.argv = argv + prog;
	load.envp = guest_environment(opts);
	load.stack_size = user_settings.stack_size;
	load.hwcap = riscv_cpu_hwcap();
	if (opts->argv0) {
		argv[prog] = (char *)opts->argv0;
	}
	user_settings.argv = argv + prog;
	user_settings.argc = argc - prog;
	/* Absolute, so it still works after the guest changes directory. */
	if (user_settings.ld_prefix &&
	    realpath(user_settings.ld_prefix, resolved)) {
		user_settings.ld_prefix = strdup(resolved);
		load.ld_prefix = user_settings.ld_prefix;
	}
	user_settings.exe_path =
		realpath(load.path, resolved) ? strdup(resolved) : load.path;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = 0;
	user_settings.host_exe = strdup(n > 0 ? self : "/proc/self/exe");
	if (!load.envp || !mm_init(errp)) {
		return false;
	}
	if (!elf_load_program(&load, &user_settings.image, errp)) {
		return false;
	}
	if (!map_trampoline(errp)) {
		return false;
	}
	signal_init();
	cpu = riscv_cpu_new(RISCV_CPU_USER, 0, &mm_bus_ops, NULL);
	thread = cpu ? user_thread_new(cpu) : NULL;
	if (!thread) {
		error_setg(errp, "cannot create the CPU");
		return false;
	}
	riscv_cpu_set_pc(cpu, user_settings.image.entry);
	riscv_cpu_set_x(cpu, 2, user_settings.image.stack_pointer);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, NULL, &mask, 8);
	thread->sigmask = mask;
	if (opts->gdb && !user_gdb_start(opts->gdb, errp)) {
		return false;
	}
	user_cpu_loop(thread);
}

int main(int argc, char **argv)
{
	struct options opts = { 0 };
	struct error *err = NULL;
	int prog;

	error_set_progname("mimic-riscv64");
	user_settings.stack_size = 8ull << 20;
	user_settings.ld_prefix = "/usr/riscv64-linux-gnu";
	if (access(user_settings.ld_prefix, F_OK)) {
		user_settings.ld_prefix = NULL;
	}
#if defined(__x86_64__)
	/* The translator where there is one; -accel interp (MIMIC_ACCEL)
	 * runs the reference interpreter. */
	riscv_engine_select("jit", NULL);
#endif
	if (!apply_environment(&opts, &err)) {
		goto fail;
	}
	prog = parse_args(argc, argv, &opts, &err);
	if (prog < 0 || !check_cpu(opts.cpu, &err)) {
		goto fail;
	}
	if (prog >= argc) {
		error_report("no program given (try -help)");
		return 1;
	}
	/* binfmt_misc with the P flag: filename, then the original argv[0]. */
	if ((getauxval(AT_FLAGS) & 1) && prog + 1 < argc && !opts.argv0) {
		opts.argv0 = argv[prog + 1];
		memmove(&argv[prog + 1], &argv[prog + 2],
			(size_t)(argc - prog - 1) * sizeof(*argv));
		argc--;
	}
	if (!start(argc, argv, prog, &opts, &err)) {
		goto fail;
	}
	return 0;
fail:
	error_report_err(err);
	return 1;
}
