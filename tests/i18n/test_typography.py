"""French typography in every French string a visitor may read: ’ rather than ', a narrow no-break
space before ; : ! ? » and after «, CO₂ with its subscript."""
from __future__ import annotations


from kiosk.typography import NNBSP, french, problems
from kiosk.report.definitions import FRENCH
from tests.i18n.sources import (ROOT, catalog_msgids, code_strings, content_texts, literal_strings, website_msgids,
                                website_template_texts)


def _report(found):
    bad = [f"{where} {text!r}: {', '.join(problems(text))}" for where, text in found if problems(text)]
    return bad


def test_the_checker_sees_each_fault_and_the_fixer_fixes_it():
    assert problems("Dans la salle : 979")
    assert problems("L'air de la salle")
    assert problems("Le CO2 monte")
    assert problems("« Mes mobilités »")
    assert problems(french("Dans la salle : 979 ; l'air ? « oui » CO2")) == []
    assert french("Dans la salle : 979") == f"Dans la salle{NNBSP}: 979"
    assert problems("35 % des visiteurs")
    assert problems("10:30, https://qsec.fr/?q=1, PM2,5, {n}\u202f%") == []   # nothing to say


def test_french_strings_of_the_code():
    found = list(code_strings())
    assert len(found) > 300
    bad = _report(found)
    assert not bad, f"{len(bad)} strings:\n" + "\n".join(bad[:40])


def test_french_msgids_of_the_catalogs():
    bad = _report(catalog_msgids())
    assert not bad, f"{len(bad)} msgids:\n" + "\n".join(bad[:40])


def test_french_texts_of_the_content_files():
    found = list(content_texts("fr"))
    assert len(found) > 150
    bad = _report(found)
    assert not bad, f"{len(bad)} texts:\n" + "\n".join(bad[:40])


def test_the_websites_strings_and_templates():
    """The website is read by the public and the operators: its catalog's French strings (the health
    page's reasons, the contribution codes' messages) and what its templates write between them."""
    msgids, texts = list(website_msgids()), list(website_template_texts())
    assert len(msgids) > 200 and len(texts) > 100
    bad = _report(msgids + texts)
    assert not bad, f"{len(bad)} strings:\n" + "\n".join(bad[:40])


def test_the_demo_seasons_texts_of_the_website():
    """The demo season is what an operator sees first on a fresh website: its texts are set as the
    real ones will be (English strings have nothing for the checker to find)."""
    found = literal_strings(ROOT / "hub" / "site" / "demo_season.py")
    assert len(found) > 100
    bad = _report(found)
    assert not bad, f"{len(bad)} texts:\n" + "\n".join(bad[:40])


def test_the_funders_report_in_french():
    """The report a mediator hands to funders: the French half of definitions.txt, the summary
    picture's texts and the CSV files' units (English strings have nothing for the checker to find)."""
    found = [("definitions.txt", line) for line in FRENCH.splitlines() if line.strip()]
    for module in ("summary.py", "__init__.py"):
        found += literal_strings(ROOT / "kiosk" / "report" / module)
    assert len(found) > 100
    bad = _report(found)
    assert not bad, f"{len(bad)} texts:\n" + "\n".join(bad[:40])
