/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Records to the local syslog daemon without syslog(3), which drops a
 * message silently when it cannot send it. Here every record is one
 * datagram on a connected AF_UNIX socket (/dev/log), in the format glibc
 * sends, "<PRI>Mmm dd hh:mm:ss IDENT[PID]: MSG", so journald and rsyslog
 * see what they always saw; sends block, so a slow daemon holds sgctl up
 * and the loss moves back to the kernel, where every event is numbered
 * and counted; and what could not be sent is counted, not lost unseen.
 */
#ifndef SGCTL_SYSLOG_OUT_H
#define SGCTL_SYSLOG_OUT_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

struct syslog_out {
	int		fd;		/* -1 while not connected */
	const char	*path;		/* "/dev/log"; must outlive it */
	const char	*ident;
	int		facility;	/* LOG_DAEMON ... */
	pid_t		pid;
	/*
	 * Set (by a signal handler) when the caller is stopping: a send
	 * blocked on a stalled daemon gives up at the signal instead of
	 * holding the stop up, and later sends do not wait.
	 */
	volatile sig_atomic_t	*stopping;
	uint64_t	sent;
	uint64_t	failed;
};

/*
 * Connect to the daemon at @path. The sender is usable even when this
 * fails (the daemon may come later): the error is returned as -errno, and
 * each send tries again.
 */
int syslog_out_open(struct syslog_out *s, const char *path, const char *ident,
		    int facility);
/*
 * Send @msg with @priority (LOG_INFO ...): 0, or -errno when it could not
 * be sent, counted in @s->failed. A daemon that went away (restarted) is
 * connected to again once.
 */
int syslog_out_send(struct syslog_out *s, int priority, const char *msg);
void syslog_out_close(struct syslog_out *s);

#endif /* SGCTL_SYSLOG_OUT_H */
