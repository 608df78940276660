/* Host test of footfall_counter.c, built with the machine's C compiler by tests/hardware/test_firmware.py.
 * Prints "ok" lines and three protocol lines that the Python test parses; exits non-zero on failure. */
#include <stdio.h>
#include <string.h>

#include "footfall_counter.h"

static int failures = 0;
#define CHECK(cond, msg) do { if (!(cond)) { printf("FAIL %s (line %d)\n", msg, __LINE__); failures++; } } while (0)

/* Drive the beams through a list of (a, b, hold_ms) steps, sampling every 2 ms like the sketch. */
typedef struct { int a, b, hold_ms; } step_t;

static int run(ff_counter *c, const step_t *steps, int n, uint32_t *clock_ms) {
    int sum = 0;
    for (int i = 0; i < n; i++)
        for (int t = 0; t < steps[i].hold_ms; t += 2) {
            sum += ff_step(c, steps[i].a, steps[i].b, *clock_ms);
            *clock_ms += 2;
        }
    return sum;
}

int main(void) {
    ff_counter c;
    uint32_t now = 0xFFFFF000u;  /* start near the millis() wrap-around on purpose */
    ff_init(&c, 30);

    const step_t walk_in[] = {{0, 0, 100}, {1, 0, 120}, {1, 1, 150}, {0, 1, 120}, {0, 0, 200}};
    const step_t walk_out[] = {{0, 0, 100}, {0, 1, 120}, {1, 1, 150}, {1, 0, 120}, {0, 0, 200}};
    const step_t back_out[] = {{0, 0, 100}, {1, 0, 120}, {1, 1, 150}, {1, 0, 120}, {0, 0, 200}};
    const step_t bounce[] = {{0, 0, 100}, {1, 0, 10}, {0, 0, 10}, {1, 0, 10}, {0, 0, 200}};
    /* A contact bounce (8 ms) in the middle of a passage must not split it in two. */
    const step_t noisy_in[] = {{0, 0, 100}, {1, 0, 120}, {0, 0, 8}, {1, 0, 60}, {1, 1, 150}, {0, 1, 120},
                               {0, 0, 200}};
    const step_t both_at_once[] = {{0, 0, 100}, {1, 1, 200}, {0, 0, 200}};

    CHECK(run(&c, walk_in, 5, &now) == 1, "walk in counts +1");
    CHECK(run(&c, walk_out, 5, &now) == -1, "walk out counts -1");
    CHECK(run(&c, back_out, 5, &now) == 0, "stepping in and backing out counts nothing");
    CHECK(run(&c, bounce, 5, &now) == 0, "bounces shorter than the debounce are ignored");
    CHECK(run(&c, noisy_in, 7, &now) == 1, "a bounce inside a passage keeps one passage");
    CHECK(run(&c, both_at_once, 3, &now) == 0, "both beams at once is ambiguous, not counted");
    for (int i = 0; i < 1000; i++) run(&c, (i % 3) ? walk_in : walk_out, 5, &now);
    CHECK(c.total_in == 2 + 666 && c.total_out == 1 + 334, "1000 mixed passages");
    CHECK(ff_crc16("123456789", 9) == 0x29B1, "CRC-16/CCITT-FALSE check value");

    char buf[FF_LINE_MAX];
    size_t n = ff_format_line(buf, sizeof buf, "porte", 0x1A2B3C4Du, 12, 340, 298, 'E');
    CHECK(n > 0 && strcmp(buf, "$FC,porte,1A2B3C4D,12,340,298,E*7F36\n") == 0, "line format");
    CHECK(ff_format_line(buf, 20, "porte", 1, 2, 3, 4, 'H') == 0, "a truncated line is never produced");
    ff_format_line(buf, sizeof buf, "porte", 0xDEADBEEFu, 4294967295u, c.total_in, c.total_out, 'H');
    printf("%s", buf);
    ff_format_line(buf, sizeof buf, "abcdefghijklmnop", 0, 0, 0, 0, 'B');
    printf("%s", buf);
    printf(failures ? "failures %d\n" : "ok\n", failures);
    return failures ? 1 : 0;
}
