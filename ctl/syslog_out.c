// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Records to syslog on a socket of our own, every failure counted. See
 * syslog_out.h.
 */
#define _GNU_SOURCE	/* asprintf() */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "syslog_out.h"

static int connect_log(struct syslog_out *s)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(s->path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, s->path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	s->fd = fd;
	return 0;
}

static void disconnect(struct syslog_out *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

int syslog_out_open(struct syslog_out *s, const char *path, const char *ident,
		    int facility)
{
	*s = (struct syslog_out){
		.fd = -1, .path = path, .ident = ident, .facility = facility,
		.pid = getpid(),
	};
	return connect_log(s);
}

/*
 * As glibc's syslog(3) writes it: the time local, in the C locale
 * (sgctl sets no other), the day padded with a space.
 */
static int format(const struct syslog_out *s, int priority, const char *msg,
		  char **buf)
{
	char stamp[32] = "Jan  1 00:00:00";
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm))
		strftime(stamp, sizeof(stamp), "%h %e %T", &tm);
	return asprintf(buf, "<%d>%s %s[%d]: %s",
			(s->facility & LOG_FACMASK) | (priority & LOG_PRIMASK),
			stamp, s->ident, (int)s->pid, msg);
}

static bool stopping(const struct syslog_out *s)
{
	return s->stopping && *s->stopping;
}

static int send_once(struct syslog_out *s, const char *buf, size_t len)
{
	ssize_t n;
	int ret;

	if (s->fd < 0) {
		ret = connect_log(s);
		if (ret)
			return ret;
	}
	do
		n = send(s->fd, buf, len, MSG_NOSIGNAL |
			 (stopping(s) ? MSG_DONTWAIT : 0));
	while (n < 0 && errno == EINTR && !stopping(s));
	return n < 0 ? -errno : 0;
}

/* The daemon is gone, or was restarted with a new socket. */
static bool gone(int err)
{
	return err == -ECONNREFUSED || err == -ENOTCONN || err == -ENOENT ||
	       err == -ECONNRESET;
}

int syslog_out_send(struct syslog_out *s, int priority, const char *msg)
{
	char *buf;
	int len = format(s, priority, msg, &buf), ret;

	if (len < 0) {
		s->failed++;
		return -ENOMEM;
	}
	ret = send_once(s, buf, len);
	if (gone(ret)) {
		disconnect(s);
		ret = send_once(s, buf, len);
	}
	free(buf);
	if (ret)
		s->failed++;
	else
		s->sent++;
	return ret;
}

void syslog_out_close(struct syslog_out *s)
{
	disconnect(s);
}
