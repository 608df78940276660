/* Door counter state machine shared by the Arduino sketch and the host test (hardware/README.md).
 *
 * Two infrared break-beams across the door, A on the outside, B on the inside. A passage is counted
 * when the door becomes clear again, if the walker broke one beam first, had both broken at some
 * moment, and left the other one last: A..AB..B = in, B..AB..A = out. Someone who steps in and backs
 * out leaves by the beam they came from and is not counted. Inputs are debounced first.
 */
#ifndef QSEC_FOOTFALL_COUNTER_H
#define QSEC_FOOTFALL_COUNTER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FF_SIDE_NONE 0
#define FF_SIDE_A 1
#define FF_SIDE_B 2

#define FF_LINE_MAX 80

typedef struct {
    uint16_t debounce_ms;      /* a beam level must hold this long to be believed */
    uint8_t raw[2];            /* last raw reading of A and B (1 = broken) */
    uint32_t raw_since_ms[2];  /* when the raw level last changed */
    uint8_t level[2];          /* debounced levels */
    uint8_t origin;            /* beam broken first in the current sequence, FF_SIDE_* */
    uint8_t saw_both;          /* both beams broken at once during the sequence */
    uint32_t total_in;
    uint32_t total_out;
    uint32_t ambiguous;        /* sequences not counted (both beams from the start, back-outs) */
} ff_counter;

void ff_init(ff_counter *c, uint16_t debounce_ms);

/* Feed raw beam levels sampled at now_ms (wrap-around safe). Returns +1 for a passage in, -1 for a
 * passage out, 0 otherwise. */
int ff_step(ff_counter *c, int raw_a, int raw_b, uint32_t now_ms);

/* CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), as Python's binascii.crc_hqx(data, 0xFFFF). */
uint16_t ff_crc16(const char *data, size_t len);

/* "$FC,<device>,<boot>,<seq>,<in>,<out>,<kind>*<crc>\n" into buf; returns its length, 0 if too small. */
size_t ff_format_line(char *buf, size_t size, const char *device, uint32_t boot_id, uint32_t seq,
                      uint32_t total_in, uint32_t total_out, char kind);

#ifdef __cplusplus
}
#endif

#endif
