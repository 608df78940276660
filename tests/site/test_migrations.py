"""The models and their migrations say the same thing: a deployer's `migrate` applies every change the
code makes to the models (labels and help texts included, which Django keeps in migration state)."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_its_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:      # --check exits 1 when a migration would be written
        pytest.fail("a model change has no migration (run makemigrations):\n" + out.getvalue()[-2000:])
