// SPDX-License-Identifier: GPL-2.0
/*
 * failrun: run one command while a slab cache fails allocations.
 *
 *   failrun <cache> <seconds> <command> [<args>...]
 *
 * Writes 1 to /sys/kernel/slab/<cache>/failslab, starts the command, waits
 * for it (killing it after <seconds>), and writes 0 again. The failslab
 * fault attributes (/sys/kernel/debug/failslab) are set by the caller.
 *
 * Why a program of its own: while the cache fails, fork() may fail too
 * (a new mm needs page tables), and a shell that cannot fork gives up, so
 * init must not be the one that forks then. failrun forks once, retrying
 * while fork() says ENOMEM or EAGAIN, and needs nothing new from the
 * kernel to switch the failures off again. Exit status: the command's, or
 * 125 for a failrun error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t child;

static int write_attr(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

static void on_alarm(int sig)
{
	(void)sig;
	if (child > 0)
		kill(child, SIGKILL);
}

int main(int argc, char **argv)
{
	char attr[256];
	int status, tries = 0;
	unsigned int secs;

	if (argc < 4) {
		fprintf(stderr, "usage: failrun <cache> <seconds> <command> [<args>...]\n");
		return 125;
	}
	snprintf(attr, sizeof(attr), "/sys/kernel/slab/%s/failslab", argv[1]);
	secs = strtoul(argv[2], NULL, 0);
	signal(SIGALRM, on_alarm);

	if (write_attr(attr, "1")) {
		fprintf(stderr, "failrun: cannot write %s: %s\n", attr, strerror(errno));
		return 125;
	}
	do {
		child = fork();
	} while (child < 0 && (errno == ENOMEM || errno == EAGAIN) && ++tries < 10000);
	if (child == 0) {
		execv(argv[3], argv + 3);
		_exit(127);
	}
	if (child > 0) {
		alarm(secs);
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
		alarm(0);
	}
	if (write_attr(attr, "0")) {
		fprintf(stderr, "failrun: cannot write 0 to %s: %s\n", attr, strerror(errno));
		return 125;
	}
	if (child < 0) {
		fprintf(stderr, "failrun: fork failed %d times: %s\n", tries, strerror(errno));
		return 125;
	}
	printf("# failrun: %s: %d fork retries, %s %d\n", argv[3], tries,
	       WIFEXITED(status) ? "exit" : "signal",
	       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
