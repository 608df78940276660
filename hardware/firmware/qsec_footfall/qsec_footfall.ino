// QSEC2 door counter: two IR break-beam receivers on pins 2 (A, outside) and 3 (B, inside), one
// line of the footfall protocol per passage and a heartbeat every 10 s (hardware/README.md).
// Board: Arduino Uno/Nano (ATmega328P). Set DEVICE_ID per door before flashing.
#include <EEPROM.h>
#include "footfall_counter.h"

static const char DEVICE_ID[] = "porte1";     // 1-16 of [A-Za-z0-9_-], unique per venue
static const uint8_t PIN_BEAM_A = 2;          // receivers pull LOW when the beam is broken
static const uint8_t PIN_BEAM_B = 3;
static const uint16_t DEBOUNCE_MS = 30;       // a walker breaks a beam for 150 ms or more
static const uint32_t HEARTBEAT_MS = 10000;
static const int EEPROM_BOOTS = 0;            // boot counter address (4 bytes)

static ff_counter counter;
static uint32_t boot_id;
static uint32_t seq = 0;
static uint32_t last_line_ms = 0;
static char line[FF_LINE_MAX];

static uint32_t draw_boot_id() {
  // An EEPROM boot counter makes ids differ across reboots; floating-pin noise makes them differ
  // across boards. Only "different from the last boot" matters to the reader.
  uint32_t boots;
  EEPROM.get(EEPROM_BOOTS, boots);
  boots++;
  EEPROM.put(EEPROM_BOOTS, boots);
  uint32_t noise = 0;
  for (int i = 0; i < 32; i++) noise = (noise << 1) ^ (analogRead(A0) & 1) ^ (micros() & 1);
  return (boots << 16) ^ noise;
}

static void send_line(char kind) {
  size_t n = ff_format_line(line, sizeof line, DEVICE_ID, boot_id, seq++, counter.total_in,
                            counter.total_out, kind);
  if (n) Serial.write(line, n);
  last_line_ms = millis();
}

void setup() {
  pinMode(PIN_BEAM_A, INPUT_PULLUP);
  pinMode(PIN_BEAM_B, INPUT_PULLUP);
  Serial.begin(9600);
  ff_init(&counter, DEBOUNCE_MS);
  boot_id = draw_boot_id();
  send_line('B');
}

void loop() {
  uint32_t now = millis();
  int broken_a = digitalRead(PIN_BEAM_A) == LOW;
  int broken_b = digitalRead(PIN_BEAM_B) == LOW;
  if (ff_step(&counter, broken_a, broken_b, now) != 0) {
    send_line('E');
  } else if ((uint32_t)(now - last_line_ms) >= HEARTBEAT_MS) {
    send_line('H');
  }
  delay(2);  // 500 Hz sampling: enough for a 30 ms debounce
}
