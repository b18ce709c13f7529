/* icount: a QEMU TCG plugin that counts executed guest instructions: all of them, or only
 * from each entry of one function to the next entry of another (a call of `begin` starts a
 * window, a call of `end` closes it), which measures one call exactly and repeatably.
 *
 *   qemu-... -plugin icount.so,begin=0x1234,end=0x1300,mark=0x1280,out=counts.txt ...
 *
 * With mark=, every entry of that function (inside a window) records the count so far: the
 * differences between marks are the instructions between calls (e.g. of a per-layer hook).
 * Addresses are hexadecimal (a Thumb function's symbol value without its low bit). The
 * result, "instructions N windows W" (and a line "marks M1 M2 ..."), goes to `out` (default:
 * stderr) when QEMU exits.
 * QEMU 7.2 ships no plugin header, so the few entry points of its stable plugin API
 * (version 1) used here are declared below. */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t;
struct qemu_plugin_tb;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, qemu_plugin_vcpu_udata_cb_t cb,
                                          enum qemu_plugin_cb_flags flags, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

enum { PLAIN = 0, BEGIN = 1, END = 2, MARK = 3 };

static uint64_t begin_address = UINT64_MAX, end_address = UINT64_MAX, mark_address = UINT64_MAX;
static uint64_t *marks;
static size_t mark_count, mark_capacity;
static bool counting = true;
static uint64_t instructions, windows;
static const char *out_path;

/* Runs before each execution of a translated block: the block's length and kind ride in udata.
   A function's entry always starts a block (it is a branch target), so windows are exact. */
static void block_executed(unsigned int vcpu_index, void *userdata)
{
    (void)vcpu_index;
    const uintptr_t packed = (uintptr_t)userdata;
    const int kind = (int)(packed & 3u);
    if (kind == BEGIN) {
        counting = true;
        windows++;
    } else if (kind == END) {
        counting = false;
    }
    if (kind == MARK && counting) {
        if (mark_count == mark_capacity) {
            mark_capacity = mark_capacity ? 2 * mark_capacity : 64;
            uint64_t *grown = realloc(marks, mark_capacity * sizeof *marks);
            if (grown == NULL) {
                abort();
            }
            marks = grown;
        }
        marks[mark_count++] = instructions;
    }
    if (counting) {
        instructions += packed >> 2;
    }
}

static void block_translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    const uint64_t address = qemu_plugin_tb_vaddr(tb);
    const uintptr_t kind = address == begin_address ? BEGIN
                           : address == end_address ? END
                           : address == mark_address ? MARK
                                                     : PLAIN;
    const uintptr_t packed = ((uintptr_t)qemu_plugin_tb_n_insns(tb) << 2) | kind;
    qemu_plugin_register_vcpu_tb_exec_cb(tb, block_executed, QEMU_PLUGIN_CB_NO_REGS, (void *)packed);
}

static void finished(qemu_plugin_id_t id, void *userdata)
{
    (void)id;
    (void)userdata;
    FILE *out = out_path != NULL ? fopen(out_path, "w") : stderr;
    if (out == NULL) {
        out = stderr;
    }
    fprintf(out, "instructions %" PRIu64 " windows %" PRIu64 "\n", instructions, windows);
    if (mark_address != UINT64_MAX) {
        fprintf(out, "marks");
        for (size_t i = 0; i < mark_count; i++) {
            fprintf(out, " %" PRIu64, marks[i]);
        }
        fprintf(out, "\n");
    }
    if (out != stderr) {
        fclose(out);
    }
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                                                int argc, char **argv)
{
    (void)info;
    for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], "begin=", 6) == 0) {
            begin_address = strtoull(argv[i] + 6, NULL, 16);
            counting = false;
        } else if (strncmp(argv[i], "end=", 4) == 0) {
            end_address = strtoull(argv[i] + 4, NULL, 16);
        } else if (strncmp(argv[i], "mark=", 5) == 0) {
            mark_address = strtoull(argv[i] + 5, NULL, 16);
        } else if (strncmp(argv[i], "out=", 4) == 0) {
            out_path = argv[i] + 4;
        } else {
            fprintf(stderr, "icount: unknown argument %s (begin=HEX, end=HEX, mark=HEX, out=FILE)\n", argv[i]);
            return -1;
        }
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, block_translated);
    qemu_plugin_register_atexit_cb(id, finished, NULL);
    return 0;
}
