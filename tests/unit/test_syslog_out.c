// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl's syslog sender (ctl/syslog_out.c) against a "daemon" of our own:
 * an AF_UNIX datagram socket bound in a temporary directory, never the
 * real /dev/log. The datagram is what glibc's syslog(3) sends; a daemon
 * restarted underneath is found again; one that is gone, or a record too
 * big for the socket, is counted as failed, never dropped unseen.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <cmocka.h>

#include "syslog_out.h"

static char dir[] = "/tmp/sgw-syslog-XXXXXX";
static char path[sizeof(dir) + 8];

static int daemon_start(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 5 };
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	assert_true(fd >= 0);
	strcpy(addr.sun_path, path);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	/* A test that goes wrong fails, rather than hangs. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static void daemon_stop(int fd)
{
	close(fd);
	unlink(path);
}

/* The next datagram, NUL-terminated. */
static ssize_t daemon_read(int fd, char *buf, size_t size)
{
	ssize_t n = recv(fd, buf, size - 1, 0);

	assert_true(n >= 0);
	buf[n] = '\0';
	return n;
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/log", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return rmdir(dir);
}

/* "<PRI>Mmm dd hh:mm:ss IDENT[PID]: MSG", as glibc sends it, no NUL. */
static void test_format(void **state)
{
	struct syslog_out s;
	char buf[512], want[128];
	int fd = daemon_start();
	ssize_t n;

	(void)state;
	assert_int_equal(syslog_out_open(&s, path, "sgw-gw", LOG_LOCAL3), 0);
	assert_int_equal(syslog_out_send(&s, LOG_NOTICE,
					 "time=t event=deny seq=7 path=\"a b\""), 0);
	n = daemon_read(fd, buf, sizeof(buf));

	/* local3 (19 << 3) | notice (5) */
	assert_memory_equal(buf, "<157>", 5);
	/* "Dec  7 10:00:00 ": month, day padded to two, time. */
	assert_true(buf[5] >= 'A' && buf[5] <= 'Z');
	assert_true(buf[8] == ' ' && buf[11] == ' ');
	assert_true(buf[9] == ' ' || (buf[9] >= '1' && buf[9] <= '3'));
	assert_true(buf[14] == ':' && buf[17] == ':' && buf[20] == ' ');
	snprintf(want, sizeof(want),
		 "sgw-gw[%d]: time=t event=deny seq=7 path=\"a b\"",
		 (int)getpid());
	assert_string_equal(buf + 21, want);
	assert_int_equal(n, 21 + strlen(want));
	assert_int_equal(s.sent, 1);
	assert_int_equal(s.failed, 0);

	syslog_out_close(&s);
	daemon_stop(fd);
}

static void test_daemon_restarted(void **state)
{
	struct syslog_out s;
	char buf[512];
	int fd = daemon_start();

	(void)state;
	assert_int_equal(syslog_out_open(&s, path, "sgw", LOG_DAEMON), 0);
	assert_int_equal(syslog_out_send(&s, LOG_INFO, "one"), 0);
	daemon_read(fd, buf, sizeof(buf));
	assert_non_null(strstr(buf, "]: one"));

	/* A new daemon, a new socket at the same path. */
	daemon_stop(fd);
	fd = daemon_start();
	assert_int_equal(syslog_out_send(&s, LOG_INFO, "two"), 0);
	daemon_read(fd, buf, sizeof(buf));
	assert_memory_equal(buf, "<30>", 4);	/* daemon | info */
	assert_non_null(strstr(buf, "]: two"));
	assert_int_equal(s.sent, 2);
	assert_int_equal(s.failed, 0);

	syslog_out_close(&s);
	daemon_stop(fd);
}

static void test_daemon_gone(void **state)
{
	struct syslog_out s;
	char buf[512];
	int fd = daemon_start(), ret;

	(void)state;
	assert_int_equal(syslog_out_open(&s, path, "sgw", LOG_DAEMON), 0);
	daemon_stop(fd);
	ret = syslog_out_send(&s, LOG_INFO, "lost");
	assert_true(ret == -ENOENT || ret == -ECONNREFUSED);
	ret = syslog_out_send(&s, LOG_INFO, "lost too");
	assert_true(ret == -ENOENT || ret == -ECONNREFUSED);
	assert_int_equal(s.sent, 0);
	assert_int_equal(s.failed, 2);

	/* It comes back: the next record goes. */
	fd = daemon_start();
	assert_int_equal(syslog_out_send(&s, LOG_INFO, "back"), 0);
	daemon_read(fd, buf, sizeof(buf));
	assert_non_null(strstr(buf, "]: back"));
	assert_int_equal(s.sent, 1);
	assert_int_equal(s.failed, 2);

	syslog_out_close(&s);
	daemon_stop(fd);
}

/* No daemon at the start is no error of the sender's: it tries again. */
static void test_no_daemon_yet(void **state)
{
	struct syslog_out s;
	char buf[512];
	int fd;

	(void)state;
	assert_int_equal(syslog_out_open(&s, path, "sgw", LOG_DAEMON), -ENOENT);
	assert_int_equal(s.fd, -1);
	fd = daemon_start();
	assert_int_equal(syslog_out_send(&s, LOG_WARNING, "first"), 0);
	daemon_read(fd, buf, sizeof(buf));
	assert_memory_equal(buf, "<28>", 4);	/* daemon | warning */
	syslog_out_close(&s);
	daemon_stop(fd);
}

/* Too big for any datagram: counted, and the socket still works. */
static void test_too_big(void **state)
{
	size_t size = 4 << 20;
	char *big = malloc(size), buf[512];
	struct syslog_out s;
	int fd = daemon_start();

	(void)state;
	assert_non_null(big);
	memset(big, 'x', size - 1);
	big[size - 1] = '\0';
	assert_int_equal(syslog_out_open(&s, path, "sgw", LOG_DAEMON), 0);
	assert_int_equal(syslog_out_send(&s, LOG_INFO, big), -EMSGSIZE);
	assert_int_equal(s.failed, 1);
	assert_int_equal(syslog_out_send(&s, LOG_INFO, "small"), 0);
	daemon_read(fd, buf, sizeof(buf));
	assert_non_null(strstr(buf, "]: small"));
	assert_int_equal(s.sent, 1);
	free(big);
	syslog_out_close(&s);
	daemon_stop(fd);
}

/*
 * A daemon that stopped reading: once the caller is stopping, a send no
 * longer waits for it (the record is counted failed), so SIGTERM is not
 * held up by a stalled syslog.
 */
static void test_stopping_does_not_wait(void **state)
{
	volatile sig_atomic_t stop = 0;
	struct syslog_out s;
	int fd = daemon_start(), ret = 0, i;

	(void)state;
	assert_int_equal(syslog_out_open(&s, path, "sgw", LOG_DAEMON), 0);
	s.stopping = &stop;
	assert_int_equal(syslog_out_send(&s, LOG_INFO, "before"), 0);
	stop = 1;
	/* A test that goes wrong fails, rather than hangs. */
	alarm(10);
	for (i = 0; i < 100000 && !ret; i++)
		ret = syslog_out_send(&s, LOG_INFO, "never read");
	alarm(0);
	assert_int_equal(ret, -EAGAIN);
	assert_int_equal(s.failed, 1);
	assert_int_equal(s.sent, (uint64_t)i);
	syslog_out_close(&s);
	daemon_stop(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_daemon_restarted),
		cmocka_unit_test(test_daemon_gone),
		cmocka_unit_test(test_no_daemon_yet),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_stopping_does_not_wait),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
