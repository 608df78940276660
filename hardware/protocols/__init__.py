"""Byte-level parsers and encoders of the three devices. Parsers are fed arbitrary bytes and never
raise: every rejected byte or frame is counted in ``parser.stats`` so the sensors page can show it."""
