from __future__ import annotations

import pytest

from tests.access.driver import Visitor


@pytest.fixture
def visitor(tmp_path):
    made = []

    def make(venue=None, **kw):
        v = Visitor(tmp_path / f"v{len(made)}", venue, **kw)
        made.append(v)
        return v

    yield make
    for v in made:
        v.close()
