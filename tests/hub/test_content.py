"""The hub reads the content files on its own (it installs without the kiosk); the texts it finds must be
the ones the kiosk's loaders read from the same files, and a damaged file costs labels, not pages."""
from __future__ import annotations

from hub.config import SOURCE_CONTENT, load_config
from hub.content import load_labels
from kiosk.groups.activities import load_activities
from kiosk.paths import CONTENT_DIR
from stations.survey.model import load_survey
from stations.wall.model import load_wall


def test_the_hub_reads_the_texts_the_kiosk_reads():
    assert SOURCE_CONTENT == CONTENT_DIR
    labels = load_labels(SOURCE_CONTENT)
    questions = load_survey("survey.toml")
    assert labels.survey_questions == {q.id: q.text for q in questions}
    assert labels.survey_choices == {(q.id, c.id): c.label for q in questions for c in q.choices}
    assert labels.wall_questions == {q.id: q.text for q in load_wall("wall.toml")[0]}
    kiosk_activities, problems = load_activities()
    assert not problems and kiosk_activities
    assert sorted(labels.activities) == sorted(a.id for a in kiosk_activities)
    for kiosk in kiosk_activities:
        hub = labels.activities[kiosk.id]
        assert (hub.title, hub.summary, dict(hub.levels)) == (kiosk.title, kiosk.summary, dict(kiosk.levels))
        assert [s.id for s in hub.steps] == [s.id for s in kiosk.steps]
        for h, k in zip(hub.steps, kiosk.steps):
            assert (h.title, h.explanation, h.unit) == (k.title, k.explanation, k.unit)
            assert [(c.label, c.correct) for c in h.choices] == [(c.label, c.correct) for c in k.choices]


def test_missing_or_broken_content_leaves_raw_ids(tmp_path):
    (tmp_path / "activities").mkdir()
    (tmp_path / "survey.toml").write_text("[[question]\nid = ")            # not TOML
    (tmp_path / "activities" / "x.toml").write_text('[activity]\ntitle = "no id"\n')
    labels = load_labels(tmp_path)
    assert not (labels.survey_questions or labels.wall_questions or labels.activities)
    assert not load_labels(tmp_path / "nowhere").activities


def test_content_dir_is_configurable(tmp_path):
    (tmp_path / "hub.toml").write_text('[hub]\ncontent_dir = "contenu"\n')
    assert load_config(tmp_path / "hub.toml").content_dir == tmp_path / "contenu"
    assert load_config(None).content_dir == SOURCE_CONTENT
