from kiosk.pin import PinGuard, hash_pin, parse_pin_hash, verify_pin


class FakeClock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def test_hash_is_salted_and_verifies():
    a, b = hash_pin("2468"), hash_pin("2468")
    assert a != b and a.startswith("pbkdf2_sha256$")
    assert verify_pin("2468", a) and verify_pin("2468", b)
    assert not verify_pin("2469", a)
    assert parse_pin_hash(a)[0] >= 100_000


def test_malformed_hash_never_verifies():
    assert not verify_pin("1234", "plain-1234")
    assert not verify_pin("1234", "pbkdf2_sha256$200000$@@$@@")


def test_five_wrong_pins_lock_the_pad_for_five_minutes():
    clock = FakeClock()
    guard = PinGuard(hash_pin("1357", iterations=10_000), max_attempts=5, lockout_s=300, clock=clock)
    for _ in range(4):
        assert not guard.try_pin("0000")
    assert guard.locked_for() == 0
    assert not guard.try_pin("0000")
    assert guard.locked_for() == 300
    assert not guard.try_pin("1357")  # even the right PIN waits
    clock.t += 299
    assert not guard.try_pin("1357")
    clock.t += 2
    assert guard.try_pin("1357")


def test_hash_pin_cli(capsys):
    from kiosk.__main__ import main

    assert main(["hash-pin", "--pin", "4321"]) == 0
    line = capsys.readouterr().out
    encoded = line.split('"')[1]
    assert verify_pin("4321", encoded)
    assert main(["hash-pin", "--pin", "12ab"]) == 2
