/* Classifies the held-out test digits with the C that tmdl-codegen generated for
 * digits.tmdl: `tmdl-codegen generate Examples/digits/digits.tmdl -o build`, then
 *   cc -std=c99 -O2 -ffp-contract=off -Ibuild main.c build/digits.c -lm -o classify
 *   ./classify test-images.u8 test-labels.u8
 * Each image is 64 bytes (8x8, 0..255); the model's int8 input is q = u8 - 128.
 * The same program runs as firmware under QEMU (make example-cm0), reading the files
 * through semihosting. */
#include <stdio.h>

#include "digits.h"

static int argmax(const int8_t *scores, int count)
{
    int best = 0;
    for (int i = 1; i < count; i++) {
        if (scores[i] > scores[best]) {
            best = i;
        }
    }
    return best;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s IMAGES LABELS\n", argv[0]);
        return 2;
    }
    FILE *images = fopen(argv[1], "rb");
    FILE *labels = fopen(argv[2], "rb");
    if (images == NULL || labels == NULL) {
        fprintf(stderr, "%s: cannot open %s\n", argv[0], images == NULL ? argv[1] : argv[2]);
        return 2;
    }
    unsigned char pixels[DIGITS_INPUT_COUNT];
    /* The input's place in the model's arena: no input buffer of its own (each run overwrites it). */
    int8_t *const input = digits_input_buffer();
    int8_t scores[DIGITS_OUTPUT_COUNT];
    int label;
    int total = 0;
    int correct = 0;
    while (fread(pixels, 1, sizeof pixels, images) == sizeof pixels && (label = fgetc(labels)) != EOF) {
        for (int i = 0; i < DIGITS_INPUT_COUNT; i++) {
            input[i] = (int8_t)(pixels[i] - 128);
        }
        if (digits_run(input, scores) != 0) {
            fprintf(stderr, "%s: digits_run failed\n", argv[0]);
            return 1;
        }
        const int predicted = argmax(scores, DIGITS_OUTPUT_COUNT);
        if (total < 8) {
            printf("digit %d: label %d, predicted %d\n", total, label, predicted);
        }
        correct += predicted == label;
        total++;
    }
    fclose(images);
    fclose(labels);
    /* Integer arithmetic only: this program also runs on cores without an FPU. */
    const int permille = total > 0 ? (2000 * correct / total + 1) / 2 : 0;
    printf("accuracy: %d.%d%% (%d of %d correct)\n", permille / 10, permille % 10, correct, total);
    return 0;
}
