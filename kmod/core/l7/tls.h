/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * TLS ClientHello (RFC 8446 4.1.2, RFC 5246 7.4.1.2) over the record layer,
 * however it is fragmented over records and split over reads: NEED_MORE
 * until the whole handshake message is in, then every length is checked
 * against its container.
 *
 * The first record header decides whether it is TLS at all (type 22,
 * version 3.0 to 3.4: else NOT_THIS); after it a violation is MALFORMED,
 * including another content type interleaved before the ClientHello ends,
 * a first handshake message other than ClientHello, a ClientHello longer
 * than SGW_L7_TLS_HELLO_MAX or spread over more than
 * SGW_L7_TLS_RECORDS_MAX records, a second server_name, ALPN,
 * supported_versions or encrypted_client_hello extension, two host_name
 * entries, or a host_name with a byte outside ALPHA DIGIT - . _ ~.
 *
 * With ECH the server_name seen is the outer, public name: policy that must
 * see the real name has to refuse SGW_L7_TLS_F_ECH.
 */
#ifndef SGW_CORE_L7_TLS_H
#define SGW_CORE_L7_TLS_H

#include "base.h"

enum sgw_l7_tls_flag {
	/* A server_name host_name was sent; without it: "no SNI". */
	SGW_L7_TLS_F_SNI		= 1 << 0,
	SGW_L7_TLS_F_SNI_TRUNC		= 1 << 1,
	SGW_L7_TLS_F_ALPN		= 1 << 2,
	/* More ids than kept, or an id longer than kept. */
	SGW_L7_TLS_F_ALPN_TRUNC		= 1 << 3,
	/* supported_versions offers TLS 1.3. */
	SGW_L7_TLS_F_TLS13		= 1 << 4,
	/* encrypted_client_hello (0xfe0d), or the draft ESNI (0xffce). */
	SGW_L7_TLS_F_ECH		= 1 << 5,
	/* The ClientHello spanned more than one record. */
	SGW_L7_TLS_F_FRAGMENTED		= 1 << 6,
};

/* Filled on MATCH; on other results the fields are unspecified. */
struct sgw_l7_tls {
	u16	flags;		/* SGW_L7_TLS_F_* */
	u16	legacy_version;	/* ClientHello.legacy_version */
	/* Highest non-GREASE supported_versions entry, else legacy_version. */
	u16	max_version;
	u16	alpn_count;	/* ids offered; the first ones are kept */
	u8	reason;		/* enum sgw_l7_reason, on MALFORMED */
	u8	sni_len;
	/* Length of each kept id as sent; bytes past ALPN_LEN_MAX dropped. */
	u8	alpn_len[SGW_L7_TLS_ALPN_MAX];
	char	sni[SGW_L7_NAME_MAX + 1];	/* lowercased, NUL-terminated */
	char	alpn[SGW_L7_TLS_ALPN_MAX][SGW_L7_TLS_ALPN_LEN_MAX]; /* opaque */
};

enum sgw_l7_status sgw_l7_tls_parse(const u8 *data, size_t len,
				    struct sgw_l7_tls *t);

#endif /* SGW_CORE_L7_TLS_H */
