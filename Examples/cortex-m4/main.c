/* Firmware for a Cortex-M4F board: the example model's C, generated with --arch armdsp (its dot
 * products run on SMLAD and SXTB16), classifies the held-out test digits. `make example-cm4`
 * builds it for QEMU's mps2-an386 (Examples/boards: startup code and linker script) and runs it:
 *   tmdl-codegen generate Examples/digits/digits.tmdl --arch armdsp -o build
 *   arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -O2 -ffp-contract=off
 *     --specs=rdimon.specs -T Examples/boards/mps2.ld Examples/boards/startup.c
 *     -Ibuild Examples/cortex-m4/main.c build/digits.c -lm -o digits-cm4.elf
 * The digits come from the host through semihosting; the board prints one line per digit, in
 * the format of `tmdl-codegen evaluate --predictions`, then the accuracy. */
#include <stdio.h>

#include "digits.h"

#if !defined(__ARM_FEATURE_DSP)
#error "build for a core with the DSP extension, e.g. -mcpu=cortex-m4"
#endif

/* The top class; ties go to the lowest index. */
static int top_class(const int8_t *scores)
{
    int best = 0;
    for (int i = 1; i < DIGITS_OUTPUT_COUNT; i++) {
        best = scores[i] > scores[best] ? i : best;
    }
    return best;
}

int main(int argc, char **argv)
{
    FILE *images = argc == 3 ? fopen(argv[1], "rb") : NULL;
    FILE *labels = argc == 3 ? fopen(argv[2], "rb") : NULL;
    if (images == NULL || labels == NULL) {
        fprintf(stderr, "digits-cm4: give the test images and labels as semihosting arguments\n");
        return 2;
    }
    unsigned char pixels[DIGITS_INPUT_COUNT];
    /* The input's place in the model's arena: no input buffer of its own (each run overwrites it). */
    int8_t *const input = digits_input_buffer();
    int8_t scores[DIGITS_OUTPUT_COUNT];
    int label, count = 0, correct = 0;
    while (fread(pixels, sizeof pixels, 1, images) == 1 && (label = fgetc(labels)) != EOF) {
        for (int i = 0; i < DIGITS_INPUT_COUNT; i++) {
            input[i] = (int8_t)(pixels[i] - 128); /* the model's input: q = u8 - 128 */
        }
        if (digits_run(input, scores) != 0) {
            return 1;
        }
        const int predicted = top_class(scores);
        printf("input %d: label %d, predicted %d\n", count, label, predicted);
        correct += predicted == label;
        count++;
    }
    printf("accuracy: %d of %d correct\n", correct, count);
    return count > 0 ? 0 : 1;
}
