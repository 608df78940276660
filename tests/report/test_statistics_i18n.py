"""Every French string of the statistics page has its English translation in statistics.po."""
from __future__ import annotations

import ast
import re

from kiosk.i18n import parse_po
from kiosk.paths import LOCALE_DIR, PROJECT_ROOT
from kiosk.screens.statistics import PERIODS, TABS
from kiosk.screens.statistics_panels import WEEKDAY_LONG, WEEKDAY_SHORT
from kiosk.store.stats_quality import RUNTIME_LABELS

CALL = re.compile(r'_\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\)')


def _msgids(path):
    text = path.read_text(encoding="utf-8")
    for match in CALL.finditer(text):
        yield "".join(ast.literal_eval(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', match.group(1)))


def test_english_catalogue_is_complete():
    po = parse_po((LOCALE_DIR / "en" / "LC_MESSAGES" / "statistics.po").read_text(encoding="utf-8"))
    used = set()
    for name in ("statistics.py", "statistics_panels.py"):
        used |= set(_msgids(PROJECT_ROOT / "kiosk" / "screens" / name))
    used |= {label for _k, label in PERIODS} | {label for _k, label, _i in TABS} | set(WEEKDAY_SHORT) | set(WEEKDAY_LONG)
    used |= set(RUNTIME_LABELS.values())
    assert len(used) > 60
    assert sorted(used - set(po)) == []
    assert all("{" not in v or set(re.findall(r"{\w+}", v)) == set(re.findall(r"{\w+}", k)) for k, v in po.items())
