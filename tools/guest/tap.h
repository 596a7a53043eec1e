/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TAP output for the guest programs (ptstress, racewalk): one "ok N - ..."
 * or "not ok N - ..." line per result, "# ..." diagnostics, flushed at once
 * so that a crash loses nothing already said.
 */
#ifndef DYNPTDESC_TAP_H
#define DYNPTDESC_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int ntest, nfail;

static inline void result(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++ntest);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		nfail++;
}

static inline void skip(const char *what, const char *why)
{
	printf("ok %d - %s # SKIP %s\n", ++ntest, what, why);
	fflush(stdout);
}

static inline void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

#endif
