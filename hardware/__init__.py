"""Serial sensors: door counters and air sensors read by one thread per device.

Nothing here imports pygame or a station: the runtime drains readings from SensorService and hands
them to the active station as InputEvent(kind="sensor", data=reading). See hardware/README.md.
"""
