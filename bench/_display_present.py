"""One way of putting a 1920x1080 canvas on an X window, timed: `python -m bench._display_present WAY`.

Prints the CPU milliseconds of this process per presented frame (median of the runs' means), the
canvas changing every frame. The ways are those pygame-ce offers (bench/display.py prints them)."""
from __future__ import annotations

import os
import resource
import sys
import time

FRAMES = 180
SIZE = (1920, 1080)


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def presenter(way: str, canvas):
    import pygame

    if way == "sdl2-renderer":
        from pygame._sdl2 import video

        window = video.Window("bench", size=SIZE)
        renderer = video.Renderer(window)
        texture = video.Texture(renderer, SIZE, streaming=True)

        def present() -> None:
            texture.update(canvas)
            renderer.clear()
            texture.draw()
            renderer.present()
        return present
    if way == "scaled":
        surface = pygame.display.set_mode(SIZE, pygame.SCALED)
    elif way == "smoothscale-letterbox":
        surface = pygame.display.set_mode((1600, 900))     # a smaller screen: the canvas scaled down
    else:
        surface = pygame.display.set_mode(SIZE)

    def present() -> None:
        if way == "smoothscale-letterbox":
            surface.blit(pygame.transform.smoothscale(canvas, surface.get_size()), (0, 0))
            pygame.display.flip()
        elif way == "update-rects":
            dirty = pygame.Rect(760, 440, 400, 200)            # a button's worth of change
            surface.blit(canvas, dirty, dirty)
            pygame.display.update([dirty])
        else:
            surface.blit(canvas, (0, 0))
            pygame.display.flip()
    return present


def main(way: str) -> int:
    os.environ["SDL_FRAMEBUFFER_ACCELERATION"] = "1" if way == "sdl-default" else "0"
    import pygame

    pygame.init()
    canvas = pygame.Surface(SIZE)
    present = presenter(way, canvas)
    for k in range(20):
        canvas.fill((k, 40, 80))
        pygame.event.pump()
        present()
    c0, t0 = cpu(), time.perf_counter()
    fill = 0.0
    for k in range(FRAMES):
        f0 = cpu()
        canvas.fill((k % 200, 40, 80))
        fill += cpu() - f0
        pygame.event.pump()
        present()
    spent = cpu() - c0 - fill
    print(f"{spent / FRAMES * 1e3:.3f} {FRAMES / (time.perf_counter() - t0):.1f}")
    pygame.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
