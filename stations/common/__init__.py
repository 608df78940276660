"""Pieces the participatory stations share: short contribution codes, QR codes, answer charts,
the on-screen keyboard and content-file helpers. Only `shortcode` and `content` are pygame-free
(the hub can import them to resolve a code)."""
