"""The content limits check-config applies are what the screens can show: at the limit every tile is on
screen, big enough to touch, apart from the others and from the buttons."""
from __future__ import annotations

import dataclasses

import pygame
import pytest

from kiosk.testing import default_config
from kiosk.ui.theme import THEME
from stations.survey import Station as Survey
from stations.survey.model import MAX_CHOICES
from stations.survey.view import NAV_H
from stations.wall import Station as Wall
from stations.wall.model import MAX_QUESTIONS
from tests.participation.conftest import Driver


def _survey_file(tmp_path, choices: int) -> str:
    lines = ['[[question]]', 'id = "came_by"', 'multiple = true',
             'text = "Pour venir ici aujourd’hui, vous avez pris quel moyen de transport ?"']
    for i in range(choices):
        lines += ['[[question.choice]]', f'id = "c{i}"', 'icon = "bike"', f'label = "Covoiturage numéro {i}"']
    path = tmp_path / "survey.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _apart(rects: list[pygame.Rect]) -> bool:
    return all(a.collidelist(rects[i + 1:]) == -1 for i, a in enumerate(rects))


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_a_survey_question_with_the_most_choices_allowed_fits_its_screen(make_ctx, tmp_path, orientation):
    kiosk = dataclasses.replace(default_config(data_dir=tmp_path), orientation=orientation)
    ctx = make_ctx("survey", Survey, config={"content": _survey_file(tmp_path, MAX_CHOICES)}, kiosk=kiosk)
    st = Survey(ctx)
    d = Driver(st)
    d.frame()
    w, h = ctx.canvas_size
    tiles = [st.view.zones.rect(f"choice:c{i}") for i in range(MAX_CHOICES)]
    buttons = [st.view.zones.rect("skip")]     # « Valider » joins it once a choice is ticked
    assert all(pygame.Rect(0, 0, w, h - NAV_H - 30).contains(t) for t in tiles)
    assert _apart(tiles + buttons)
    assert min(t.height for t in tiles) >= 150 > THEME.min_touch    # an icon and two lines of label
    d.tap("choice:c0")
    d.tap("confirm")
    d.settle(lambda: st.snapshot is not None)
    d.frame()
    assert len(st.view.last_chart_rows) == MAX_CHOICES
    assert st.view.last_readings_bottom <= h - NAV_H - 30        # the chart and its sentences above the buttons


def test_the_wall_with_the_most_questions_allowed_fits_its_picker(make_ctx, tmp_path):
    wall = tmp_path / "wall.toml"
    wall.write_text("".join(f'[[question]]\nid = "q{i}"\ntext = "Comment rendre la rue plus agréable à pied, '
                            f'à vélo ou en fauteuil ({i}) ?"\n' for i in range(MAX_QUESTIONS)), encoding="utf-8")
    ctx = make_ctx("wall", Wall, config={"content": str(wall)})
    st = Wall(ctx)
    st.start_answer()
    d = Driver(st)
    d.frame()
    rows = [st.view.zones.rect(f"question:q{i}") for i in range(MAX_QUESTIONS)]
    w, h = ctx.canvas_size
    assert all(pygame.Rect(0, 0, w, h).contains(r) for r in rows) and _apart(rows)
    assert min(r.height for r in rows) >= 100
