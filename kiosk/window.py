"""The kiosk's window: full screen (or a development window, or SDL's dummy display headless), the
logical canvas letterboxed into it, and window pixels translated back to canvas pixels.

On X11 the canvas reaches the screen through SDL's plain window surface (shared memory, no OpenGL),
only when a frame was drawn (kiosk/frames.py). SDL's default on X11 uploads the whole window to an OpenGL
texture at every update, whatever the rectangles asked for: `make bench ARGS=display` measured that path,
pygame.SCALED and the SDL2 Renderer/Texture at about twenty times the CPU of the plain surface. A machine
whose GPU does better can say so with SDL_FRAMEBUFFER_ACCELERATION=1 in the kiosk's environment."""
from __future__ import annotations

import os
import time

import pygame

from kiosk.input import InputEvent, InputTranslator, Letterbox

CAPTION = "QSEC² · Mobilités"
# Events after which the window's pixels must be presented again (the frame loop presents only changes).
REPAINT = (pygame.VIDEOEXPOSE, pygame.WINDOWEXPOSED, pygame.WINDOWSHOWN, pygame.WINDOWRESTORED,
           pygame.WINDOWSIZECHANGED, pygame.VIDEORESIZE)


class Window:
    def __init__(self, canvas_size: tuple[int, int], *, headless: bool, windowed: bool):
        self.canvas_size = canvas_size
        self.headless = headless
        self.windowed = windowed or headless
        if pygame.display.get_driver() == "x11":   # (Wayland and KMS have no plain surface: SDL's own way there)
            os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
        pygame.display.set_allow_screensaver(False)
        self.exposed = False
        if self.windowed:
            size = canvas_size if headless else (canvas_size[0] // 2, canvas_size[1] // 2)
            self.surface = pygame.display.set_mode(size, 0 if headless else pygame.RESIZABLE)
        else:
            self.surface = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
            pygame.mouse.set_visible(False)
        pygame.display.set_caption(CAPTION)
        self.letterbox = Letterbox(canvas_size, self.surface.get_size())
        self._translate = InputTranslator(self.letterbox)

    def translate(self, raw: pygame.event.Event) -> InputEvent | None:
        """A pygame event as an InputEvent in canvas pixels (None if it is not input); follows resizes."""
        if raw.type == pygame.VIDEORESIZE and not self.headless:
            self.letterbox = Letterbox(self.canvas_size, self.surface.get_size())
            self._translate.letterbox = self.letterbox
        if raw.type in REPAINT:
            self.exposed = True
        return self._translate.translate(raw)

    def wait_for_input(self, seconds: float, look_every_s: float) -> list[pygame.event.Event]:
        """Events as soon as any arrive (seen within `look_every_s`), else [] after `seconds`.

        pygame's `event.wait(timeout)` polls SDL every millisecond, about 2 % of a core spent waiting:
        sleeping between looks keeps a still or dark screen's kiosk near 0 %."""
        end = time.monotonic() + seconds
        while True:
            events = pygame.event.get()
            left = end - time.monotonic()
            if events or left <= 0:
                return events
            time.sleep(min(look_every_s, left))

    def take_exposed(self) -> bool:
        """True once after the window was uncovered, shown again or resized: present the frame again."""
        was, self.exposed = self.exposed, False
        return was

    def present(self, canvas: pygame.Surface) -> None:
        if self.letterbox.window == self.canvas_size:
            self.surface.blit(canvas, (0, 0))
        else:
            self.surface.fill((0, 0, 0))
            x, y, w, h = self.letterbox.dest_rect()
            self.surface.blit(pygame.transform.smoothscale(canvas, (w, h)), (x, y))
        pygame.display.flip()
