/* See footfall_counter.h. Plain C99, no allocation, no floating point: runs on an ATmega328P. */
#include "footfall_counter.h"

void ff_init(ff_counter *c, uint16_t debounce_ms) {
    uint8_t *p = (uint8_t *)c;
    for (size_t i = 0; i < sizeof *c; i++) p[i] = 0;
    c->debounce_ms = debounce_ms;
}

static void debounce(ff_counter *c, int beam, int raw, uint32_t now_ms) {
    uint8_t r = raw ? 1 : 0;
    if (r != c->raw[beam]) {
        c->raw[beam] = r;
        c->raw_since_ms[beam] = now_ms;
    } else if (r != c->level[beam] && (uint32_t)(now_ms - c->raw_since_ms[beam]) >= c->debounce_ms) {
        c->level[beam] = r;
    }
}

int ff_step(ff_counter *c, int raw_a, int raw_b, uint32_t now_ms) {
    uint8_t was_a = c->level[0], was_b = c->level[1];
    debounce(c, 0, raw_a, now_ms);
    debounce(c, 1, raw_b, now_ms);
    uint8_t a = c->level[0], b = c->level[1];
    if (a == was_a && b == was_b) return 0;

    if (!was_a && !was_b) {            /* a sequence starts */
        c->origin = (a && !b) ? FF_SIDE_A : (b && !a) ? FF_SIDE_B : FF_SIDE_NONE;
        c->saw_both = (uint8_t)(a && b);
        return 0;
    }
    if (a && b) c->saw_both = 1;
    if (a || b) return 0;

    /* Door clear again: the beam still broken just before is the side the walker left by. */
    uint8_t last = (was_a && !was_b) ? FF_SIDE_A : (was_b && !was_a) ? FF_SIDE_B : FF_SIDE_NONE;
    int result = 0;
    if (c->saw_both && c->origin == FF_SIDE_A && last == FF_SIDE_B) {
        c->total_in++;
        result = 1;
    } else if (c->saw_both && c->origin == FF_SIDE_B && last == FF_SIDE_A) {
        c->total_out++;
        result = -1;
    } else {
        c->ambiguous++;
    }
    c->origin = FF_SIDE_NONE;
    c->saw_both = 0;
    return result;
}

uint16_t ff_crc16(const char *data, size_t len) {
    uint16_t crc = 0xFFFF;
    for (size_t i = 0; i < len; i++) {
        crc ^= (uint16_t)((uint8_t)data[i]) << 8;
        for (int bit = 0; bit < 8; bit++) crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
    }
    return crc;
}

/* Tiny formatters: avr-libc's snprintf works but costs ~1.5 KB of flash. */
static size_t put_str(char *buf, size_t at, size_t size, const char *s) {
    while (*s && at < size) buf[at++] = *s++;
    return at;
}

static size_t put_u32(char *buf, size_t at, size_t size, uint32_t v) {
    char tmp[10];
    int n = 0;
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n && at < size) buf[at++] = tmp[--n];
    return at;
}

static size_t put_hex(char *buf, size_t at, size_t size, uint32_t v, int digits) {
    static const char hex[] = "0123456789ABCDEF";
    for (int i = digits - 1; i >= 0 && at < size; i--) buf[at++] = hex[(v >> (4 * i)) & 0xF];
    return at;
}

size_t ff_format_line(char *buf, size_t size, const char *device, uint32_t boot_id, uint32_t seq,
                      uint32_t total_in, uint32_t total_out, char kind) {
    size_t at = 0;
    char kind_str[2] = {kind, 0};
    at = put_str(buf, at, size, "$FC,");
    at = put_str(buf, at, size, device);
    at = put_str(buf, at, size, ",");
    at = put_hex(buf, at, size, boot_id, 8);
    at = put_str(buf, at, size, ",");
    at = put_u32(buf, at, size, seq);
    at = put_str(buf, at, size, ",");
    at = put_u32(buf, at, size, total_in);
    at = put_str(buf, at, size, ",");
    at = put_u32(buf, at, size, total_out);
    at = put_str(buf, at, size, ",");
    at = put_str(buf, at, size, kind_str);
    uint16_t crc = ff_crc16(buf + 1, at - 1);   /* between '$' and '*' */
    at = put_str(buf, at, size, "*");
    at = put_hex(buf, at, size, crc, 4);
    at = put_str(buf, at, size, "\n");
    if (at >= size) return 0;                   /* truncated: never send a partial line */
    buf[at] = 0;
    return at;
}
