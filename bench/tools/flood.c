// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Traffic for the benchmark, run in the client and server namespaces.
 *
 *   flood est DST PORT SECS     one UDP flow, made bidirectional first
 *                               (HELLO, answered by "flood sink"), then
 *                               small datagrams as fast as sendmmsg goes
 *   flood new DST PORT SECS     every datagram a new 5-tuple: a raw socket
 *                               varies source port and address (inside
 *                               the client's 10.1.0.0/16)
 *         [--rate PPS]          paced at PPS datagrams a second instead
 *                               of as fast as it goes
 *   flood sink PORT             answers HELLO, drops everything else
 *
 * The senders print "sent N secs S counted C": C is what interface IFNAME
 * of the namespace of process PID received meanwhile (read from
 * /proc/PID/net/dev before, and 300 ms after the last packet so the
 * gateway drains), when "--count PID IFNAME" follows SECS; else 0.
 * Counting at the far end makes drops anywhere count.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define MIN(a, b) ((a) < (b) ? (a) : (b))

enum { BATCH = 64, PAYLOAD = 18 };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *count_pid, *count_if;
static double rate;	/* datagrams a second, 0: no pacing */

/* rx_packets of count_if in count_pid's namespace, 0 without --count. */
static unsigned long rx_packets(void)
{
	char path[64], line[512], name[64];
	unsigned long bytes, packets;
	FILE *f;

	if (!count_pid)
		return 0;
	snprintf(path, sizeof(path), "/proc/%s/net/dev", count_pid);
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %63[^:]: %lu %lu", name, &bytes, &packets) == 3 &&
		    !strcmp(name, count_if)) {
			fclose(f);
			return packets;
		}
	}
	fclose(f);
	fprintf(stderr, "flood: no interface \"%s\" in %s\n", count_if, path);
	exit(1);
}

static void report(unsigned long sent, double secs, unsigned long before)
{
	usleep(300000);
	printf("sent %lu secs %.4f counted %lu\n", sent, secs, rx_packets() - before);
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static struct sockaddr_in addr_of(const char *ip, const char *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };

	a.sin_port = htons(atoi(port));
	if (inet_pton(AF_INET, ip, &a.sin_addr) != 1) {
		fprintf(stderr, "flood: bad address \"%s\"\n", ip);
		exit(1);
	}
	return a;
}

static int flood_est(struct sockaddr_in dst, double secs)
{
	char buf[PAYLOAD] = "DATA", reply[64];
	struct mmsghdr msgs[BATCH];
	struct iovec iov = { buf, sizeof(buf) };
	struct pollfd pfd;
	unsigned long sent = 0, before;
	double t0, t;
	int fd, i, n;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&dst, sizeof(dst)))
		die("flood: socket");
	/* A reply makes the flow established for conntrack and sgw alike. */
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	for (i = 0; i < 20; i++) {
		if (send(fd, "HELLO", 5, 0) < 0 && errno != ECONNREFUSED)
			die("flood: send");
		if (poll(&pfd, 1, 500) > 0 && recv(fd, reply, sizeof(reply), 0) > 0)
			break;
	}
	if (i == 20) {
		fprintf(stderr, "flood: no answer from the sink\n");
		return 1;
	}
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	before = rx_packets();
	t0 = now();
	do {
		n = sendmmsg(fd, msgs, BATCH, 0);
		if (n > 0)
			sent += n;
		t = now();
	} while (t - t0 < secs);
	report(sent, t - t0, before);
	return 0;
}

/* Sleep until @sent datagrams are due at the set rate. */
static void pace(double t0, unsigned long sent)
{
	double wait;

	if (!rate)
		return;
	wait = t0 + sent / rate - now();
	if (wait > 0)
		usleep(wait * 1e6);
}

struct pkt {
	struct iphdr	ip;
	struct udphdr	udp;
	char		data[PAYLOAD];
};

static int flood_new(struct sockaddr_in dst, double secs)
{
	struct pkt p[BATCH];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned long sent = 0, seq = 0, before;
	double t0, t;
	int fd, i, n, batch, one = 1;

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)))
		die("flood: raw socket");
	/* Seeded by time, so that rounds do not repeat each other's tuples. */
	seq = (unsigned long)(now() * 1000) * 7919;
	memset(p, 0, sizeof(p));
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		p[i].ip.version = 4;
		p[i].ip.ihl = 5;
		p[i].ip.ttl = 64;
		p[i].ip.protocol = IPPROTO_UDP;
		p[i].ip.tot_len = htons(sizeof(p[i]));
		p[i].ip.daddr = dst.sin_addr.s_addr;
		p[i].udp.dest = dst.sin_port;
		p[i].udp.len = htons(sizeof(p[i]) - sizeof(p[i].ip));
		memcpy(p[i].data, "NEWFLOW", 7);
		iov[i] = (struct iovec){ &p[i], sizeof(p[i]) };
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_name = &dst;
		msgs[i].msg_hdr.msg_namelen = sizeof(dst);
	}
	/* Paced, a batch is about a millisecond's worth. */
	batch = rate ? MAX(1, MIN(BATCH, (int)(rate / 1000))) : BATCH;
	before = rx_packets();
	t0 = now();
	do {
		pace(t0, sent);
		for (i = 0; i < batch; i++, seq++) {
			/* 10.1.H.L with H.L in 1.0 .. 255.255, port 1024+. */
			unsigned int host = 256 + seq % 65280;
			unsigned int port = 1024 + (seq / 65280) % 64512;

			p[i].ip.saddr = htonl(0x0a010000 | host);
			p[i].udp.source = htons(port);
		}
		n = sendmmsg(fd, msgs, batch, 0);
		if (n > 0)
			sent += n;
		t = now();
	} while (t - t0 < secs);
	report(sent, t - t0, before);
	return 0;
}

static __attribute__((noreturn)) void sink(const char *port)
{
	struct sockaddr_in a = addr_of("0.0.0.0", port), from;
	socklen_t len;
	char buf[2048];
	int fd, n;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)))
		die("flood: sink");
	for (;;) {
		len = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
		if (n == 5 && !memcmp(buf, "HELLO", 5))
			sendto(fd, "OLLEH", 5, 0, (struct sockaddr *)&from, len);
	}
}

int main(int argc, char **argv)
{
	if (argc >= 7 && !strcmp(argv[argc - 2], "--rate")) {
		rate = atof(argv[argc - 1]);
		argc -= 2;
	}
	if (argc == 8 && !strcmp(argv[5], "--count")) {
		count_pid = argv[6];
		count_if = argv[7];
		argc = 5;
	}
	if (argc == 5 && !strcmp(argv[1], "est"))
		return flood_est(addr_of(argv[2], argv[3]), atof(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "new"))
		return flood_new(addr_of(argv[2], argv[3]), atof(argv[4]));
	if (argc == 3 && !strcmp(argv[1], "sink"))
		sink(argv[2]);
	fprintf(stderr, "Usage: flood est|new DST PORT SECS [--count PID IFNAME] [--rate PPS] | flood sink PORT\n");
	return 1;
}
