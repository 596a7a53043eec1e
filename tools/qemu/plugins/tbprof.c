// SPDX-License-Identifier: GPL-2.0
/*
 * tbprof: a QEMU TCG plugin that counts, for every translated block of
 * guest kernel code, how often it ran, and at exit writes
 * "<pc> <instructions in the block> <executions>" lines to a file:
 *
 *   -plugin libtbprof.so,out=<file>[,min=<lowest pc, hex>]
 *
 * tools/profile.sh maps the pcs to kernel symbols (System.map) and
 * compares baseline and fork: the instructions each function ran per page
 * table. Blocks are counted inline (no callback per execution); a block
 * translated more than once (same pc and length) shares its counter.
 */
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

struct block {
	uint64_t pc;
	uint64_t insns;
	uint64_t count;
};

static GHashTable *blocks;
static GMutex lock;
static char *out_path;
static uint64_t min_pc = 0xffff800000000000ULL;	/* x86_64 kernel half */

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t pc = qemu_plugin_tb_vaddr(tb);
	size_t n = qemu_plugin_tb_n_insns(tb);
	uint64_t key = pc ^ ((uint64_t)n << 56);
	struct block *b;

	if (pc < min_pc)
		return;
	g_mutex_lock(&lock);
	b = g_hash_table_lookup(blocks, &key);
	if (!b) {
		b = g_new0(struct block, 1);
		b->pc = pc;
		b->insns = n;
		g_hash_table_insert(blocks, g_memdup2(&key, sizeof(key)), b);
	}
	g_mutex_unlock(&lock);
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &b->count, 1);
}

static void at_exit(qemu_plugin_id_t id, void *p)
{
	GHashTableIter it;
	gpointer k, v;
	FILE *f = fopen(out_path, "w");

	if (!f) {
		qemu_plugin_outs("tbprof: cannot write the output file\n");
		return;
	}
	g_hash_table_iter_init(&it, blocks);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		struct block *b = v;

		if (b->count)
			fprintf(f, "%016" PRIx64 " %" PRIu64 " %" PRIu64 "\n",
				b->pc, b->insns, b->count);
	}
	fclose(f);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4)) {
			out_path = g_strdup(argv[i] + 4);
		} else if (!strncmp(argv[i], "min=", 4)) {
			min_pc = strtoull(argv[i] + 4, NULL, 16);
		} else {
			fprintf(stderr, "tbprof: unknown option %s\n", argv[i]);
			return -1;
		}
	}
	if (!out_path) {
		fprintf(stderr, "tbprof: out=<file> is required\n");
		return -1;
	}
	blocks = g_hash_table_new(g_int64_hash, g_int64_equal);
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
