/* Minimal start-up for the Cortex-M boards QEMU emulates (microbit: Cortex-M0, mps2-an386:
 * Cortex-M4F): a vector table, .data copied from flash, the FPU enabled where there is one,
 * then newlib's _start (semihosting: stdio and main's return value reach the host). A fault
 * ends the emulation with a failure status instead of hanging. */
#include <stdint.h>

extern uint32_t __data_load__, __data_start__, __data_end__, __stack_top__;
extern void _start(void);

/* Semihosting SYS_EXIT with ADP_Stopped_RunTimeErrorUnknown: QEMU exits with status 1. */
static void fault_handler(void)
{
    static const uint32_t block[2] = {0x20023u, 1u};
    __asm__ volatile("mov r0, #0x18\n\tmov r1, %0\n\tbkpt 0xab" : : "r"(block) : "r0", "r1", "memory");
    for (;;) {
    }
}

void reset_handler(void)
{
    /* QEMU loads each ELF segment at its load address: .data's initial values sit in flash. */
    const uint32_t *from = &__data_load__;
    for (uint32_t *to = &__data_start__; to < &__data_end__;) {
        *to++ = *from++;
    }
#if defined(__ARM_FP)
    /* CPACR: full access to CP10 and CP11 (the FPU), then let the change take effect. */
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    _start();
    fault_handler();
}

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))(uintptr_t)&__stack_top__,
    reset_handler,
    fault_handler, /* NMI */
    fault_handler, /* HardFault */
    fault_handler, /* MemManage */
    fault_handler, /* BusFault */
    fault_handler, /* UsageFault */
};
