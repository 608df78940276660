import pytest

from stations.wall.precheck import PreCheck, default_precheck, normalise

CHECK = default_precheck()


@pytest.mark.parametrize("text", [
    "c0nnard", "CONNARD", "Connard !", "espèce de c o n n a r d", "c.o.n.n.a.r.d", "connnnnard",
    "S4L0P3", "les enculés", "ENCULÉ", "encule", "fils de pute", "FDP", "ta gueule", "sh1t", "FUUUCK you",
    "what a b1tch", "$alope", "t'es un @bruti",
    "f*ck", "F**K you", "s*l*pe", "espèce de c*nnard", "sale-connard", "fils-de-pute", "c-o-n-n-a-r-d",
    "f * c k", "quel con !",
])
def test_insults_are_caught_whatever_the_spelling(text):
    assert "insult" in CHECK.flags(text)


@pytest.mark.parametrize("text", [
    "Connardville", "Scunthorpe", "cône de signalisation", "les pros et les cons", "conduire un tram",
    "Je suis venu en 2026 à vélo", "le bus 143 est bondé", "ligne 13 du métro", "1 2 3 soleil",
    "la voiture de mon père", "à Bobigny on se croise", "passer le concours", "des assiettes", "Dickens",
    "une classe de 4e", "à 7h30 le RER est plein",
    "Le con-cours", "un con-tent de vélo", "RER B 2026 10 15 20", "bus 143 2026 1015 2030", "le 01/02/2026",
    "**** !", "*important*", "2*3 = 6", "look at this point now", "on se voit at the station dot com",
])
def test_ordinary_words_are_not_flagged(text):
    assert CHECK.flags(text) == []


@pytest.mark.parametrize("text,flag", [
    ("écris-moi : jean.dupont@mail.fr", "email"),
    ("jean (at) mail (point) fr", "email"),
    ("JEAN.DUPONT@GMAIL.COM", "email"),
    ("appelle le 06 12 34 56 78", "phone"),
    ("0612345678", "phone"),
    ("+33 6 12 34 56 78", "phone"),
    ("06.12.34.56.78", "phone"),
    ("j'habite 12 rue des Lilas", "address"),
    ("au 3 bis avenue Jean-Jaurès", "address"),
    ("suivez-moi @moi_93", "handle"),
    ("jean dot dupont at gmail dot com", "email"),
    ("jean point dupont arobase free point fr", "email"),
    ("jean.dupont at gmail.com", "email"),
    ("06 1234 5678", "phone"),
    ("+33 (0)6 12 34 56 78", "phone"),
    ("0044 20 7946 0958", "phone"),
    ("+33612345678", "phone"),
])
def test_personal_data_is_flagged(text, flag):
    assert flag in CHECK.flags(text)


def test_normal_form_and_custom_lists():
    assert normalise("Ç'ÉTAIT  Génial!! G3N14L") == " c etait genial genial "
    check = PreCheck(["Vélo-Volé"])
    assert check.flags("un velo vole") == ["insult"] and check.flags("vélo volés") == ["insult"]
    assert check.flags("vélodrome") == []
    assert PreCheck([]).flags("anything") == []


def test_findings_name_the_list_entry():
    found = CHECK.findings("Le bus c'est c0nnard et appelle 0612345678")
    assert ("insult", "connard") in [(f.flag, f.match) for f in found]
    assert any(f.flag == "phone" for f in found)
    assert [(f.flag, f.match) for f in CHECK.findings("f*ck, casse toi")] == [("insult", "fuck"), ("insult", "casse-toi")]


def test_short_entries_stand_alone_but_long_ones_count_in_compounds():
    check = PreCheck(["con", "connard", "fils de pute"])
    assert check.flags("quel con") == ["insult"] and check.flags("con-cours") == [] and check.flags("sale-con") == []
    assert check.flags("sale-connard") == ["insult"] and check.flags("fils-de-pute") == ["insult"]
    assert normalise("Le con-cours, c-o-n") == " le con-cours con "
