"""Touch-sized widgets and the theme shared by every screen and station."""
from kiosk.ui.theme import THEME, Theme
from kiosk.ui.widgets import (Button, draw_text, draw_text_block, draw_text_line_in, fit_text, forward_icon, Mirror, mirrored,
                              wrap_text)

__all__ = ["THEME", "Theme", "Button", "draw_text", "draw_text_block", "draw_text_line_in", "fit_text", "forward_icon",
           "Mirror", "mirrored",
           "wrap_text"]
