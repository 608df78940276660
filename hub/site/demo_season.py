"""A believable season for `hub serve --demo`: the eight départements and their operators (as the
season's brochure lists them), a venue and a tour stop in each, events, news, resources, and an account
per operator. Dates are placed around today so that the exhibition is somewhere now.

The kiosks' month of data is not made here: hub/demo.py has real kiosks write it (`kiosk demo-data`)
and upload it through the ingest API, as a venue's would.
"""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from hub.site.models import AgendaEvent, Departement, NewsPost, Operator, Resource, TourStop, Venue

OPERATORS = [  # code, name, operator, website, phone
    ("75", "Paris", "L’Espace des sciences Pierre-Gilles de Gennes — ESPCI Paris", "https://www.espgg.org", "01 40 79 58 15"),
    ("77", "Seine-et-Marne", "Terre Avenir", "https://www.terre-avenir.fr", "01 64 00 13 58"),
    ("78", "Yvelines", "Association Science Technologie Société", "https://www.asts.asso.fr", "01 44 89 82 85"),
    ("91", "Essonne", "Planète Sciences Île-de-France", "https://www.planete-sciences.org", "01 64 97 82 34"),
    ("92", "Hauts-de-Seine", "Paris Montagne", "https://www.paris-montagne.org", "01 58 07 66 66"),
    ("93", "Seine-Saint-Denis", "Science Ouverte", "https://www.scienceouverte.fr", "01 41 50 68 44"),
    ("94", "Val-de-Marne", "L’Exploradôme", "https://www.exploradome.com", "01 43 91 16 24"),
    ("95", "Val-d’Oise", "Les Petits Débrouillards Île-de-France", "https://www.lespetitsdebrouillards-idf.org",
     "01 30 25 75 81"),
]
HOURS = "Mardi, jeudi, vendredi : 13 h – 19 h\nMercredi : 10 h – 19 h\nSamedi : 10 h – 18 h"
HOURS_EN = "Tuesday, Thursday, Friday: 1 pm – 7 pm\nWednesday: 10 am – 7 pm\nSaturday: 10 am – 6 pm"


@dataclass(frozen=True)
class VenueSeed:
    departement: str
    slug: str
    name: str
    town: str
    address: str
    lat: float
    lon: float
    partners: str
    group: str


# In tour order. The exhibition is at the second one today (see stop_dates).
VENUES = [
    VenueSeed("95", "centre-social-doucettes-garges", "Centre social des Doucettes", "Garges-lès-Gonesse",
              "Allée des Doucettes", 48.9727, 2.3994, "Ville de Garges-lès-Gonesse\nCollège Henri-Wallon\nMJC de Garges",
              "Le groupe de femmes du centre social, qui a travaillé sur les trajets du quotidien et la garde des enfants."),
    VenueSeed("93", "mediatheque-bobigny", "Médiathèque de Bobigny", "Bobigny", "4 rue de l’Union", 48.9077, 2.4397,
              "Est Ensemble, réseau des médiathèques\nLaboratoire Ville Mobilité Transport\nCinéma Magic",
              "Des habitants de Bobigny et Pantin, usagers du tramway T1 et de la future ligne 15."),
    VenueSeed("94", "mediatheque-vitry", "Médiathèque Nelson-Mandela", "Vitry-sur-Seine", "26-34 avenue Robespierre",
              48.7875, 2.3928, "Ville de Vitry-sur-Seine\nMAC VAL\nUniversité Paris-Est Créteil",
              "Des lycéens et leurs parents qui traversent la Seine chaque jour."),
    VenueSeed("91", "maison-quartier-ris-orangis", "Maison de quartier Jacques-Prévert", "Ris-Orangis",
              "Place Jacques-Prévert", 48.6517, 2.4147, "Université d’Évry\nGrand Paris Sud\nAssociation Vélo Essonne",
              "Des cyclistes du quotidien et des collégiens de Ris-Orangis."),
    VenueSeed("77", "espace-culturel-melun", "Espace culturel Saint-Jean", "Melun", "26 place Saint-Jean", 48.5391,
              2.6590, "Ville de Melun\nLycée Jacques-Amyot\nRéseau de bus Melibus",
              "Des habitants de Melun qui vont travailler à Paris en train."),
    VenueSeed("78", "mediatheque-mantes", "Médiathèque Georges-Duhamel", "Mantes-la-Jolie", "Place du 8-Mai-1945",
              48.9908, 1.7172, "Ville de Mantes-la-Jolie\nCollège Jules-Ferry\nAssociation des usagers de la ligne J",
              "Des usagers des lignes J et N et des jeunes du Val Fourré."),
    VenueSeed("92", "maison-sciences-nanterre", "Maison des sciences", "Nanterre", "Allée de l’Université", 48.9024,
              2.2129, "Université Paris Nanterre\nVille de Nanterre\nLa Défense Seine Arche",
              "Des étudiants et des habitants du quartier du Petit-Nanterre."),
    VenueSeed("75", "espgg-paris", "Espace des sciences Pierre-Gilles de Gennes", "Paris 5e", "10 rue Vauquelin",
              48.8412, 2.3476, "ESPCI Paris\nMairie du 5e arrondissement\nLycée Henri-IV",
              "Des Parisiens de tous âges, piétons, cyclistes et usagers du métro."),
]

EVENT_PLAN = [  # days after the stop's first day, hour, duration h, kind, title fr, title en, audience fr, audience en
    (0, 18, 2, "inauguration", "Inauguration de l’exposition « Mobilités »", "Opening of the “Mobilities” exhibition",
     "Tout public", "Everyone"),
    (1, 14, 2, "atelier", "Atelier : dessine la carte de tes trajets", "Workshop: draw the map of your journeys",
     "Enfants de 8 à 12 ans", "Children aged 8 to 12"),
    (4, 15, 2.5, "cine-debat", "Ciné-débat : les foules au cinéma", "Film and debate: crowds on screen",
     "Ados et adultes", "Teens and adults"),
    (11, 14.5, 2, "atelier", "Atelier en famille : simule une foule !", "Family workshop: simulate a crowd!",
     "Tout public dès 8 ans", "Everyone from age 8"),
    (15, 18.5, 2, "debat", "Débat : nouvelles lignes, nouvelles vies ?", "Debate: new lines, new lives?",
     "Ados et adultes", "Teens and adults"),
    (22, 10, 2, "scolaires", "Bouchons fantômes : les maths du trafic", "Phantom traffic jams: the maths of traffic",
     "Classes de collège, sur réservation", "Secondary-school classes, booking required"),
    (25, 10.5, 2, "balade", "Balade urbaine : observer les flux de la ville", "City walk: watching the city’s flows",
     "Tout public, bonnes chaussures", "Everyone, good shoes"),
    (34, 14.5, 2, "atelier", "Atelier : compte les passants avec un capteur", "Workshop: count passers-by with a sensor",
     "Ados de 11 à 15 ans, sur inscription", "Teens aged 11 to 15, booking required"),
    (48, 16, 2, "finissage", "Finissage : le groupe de citoyens présente ses contributions",
     "Closing: the citizens’ group presents its contributions", "Tout public", "Everyone"),
]
DESCRIPTIONS = {
    "atelier": ("Avec les médiateurs de l’opérateur départemental : on manipule, on mesure, on discute.",
                "With the département’s science facilitators: hands on, measuring, talking."),
    "cine-debat": ("Projection suivie d’une discussion avec une chercheuse en sciences sociales.",
                   "Screening followed by a discussion with a social scientist."),
    "debat": ("Une chercheuse en urbanisme, des habitants et le groupe de citoyens de la saison.",
              "An urban-planning researcher, residents and the season’s citizens’ group."),
}

NEWS = [  # département, title, summary, body
    ("93", "Le groupe de citoyens de Bobigny a cartographié ses trajets",
     "Pendant six séances, douze habitants ont dessiné leurs trajets de la semaine : la carte est dans l’exposition.",
     "Chaque participant a noté ses déplacements pendant une semaine : à pied, en tramway, en bus, en voiture.\n\n"
     "Mis bout à bout, ces trajets dessinent une ville vécue très différente du plan du réseau : la carte qui en est "
     "née accueille les visiteurs à l’entrée de l’exposition."),
    ("95", "Garges-lès-Gonesse : les femmes du centre social racontent leurs mobilités",
     "Le groupe du centre social des Doucettes a enregistré des témoignages sur les trajets du quotidien.",
     "Emmener les enfants à l’école, aller au marché, rejoindre un travail à l’autre bout du département : les "
     "témoignages recueillis par le groupe sont à écouter dans l’exposition.\n\nMerci à toutes les participantes !"),
    ("94", "Vitry-sur-Seine prépare l’arrivée de l’exposition",
     "Les lycéens du groupe de citoyens ont choisi les questions du mur pour leur ville.",
     "Quelle place pour les vélos sur les ponts de la Seine ? Pourquoi le bus 180 est-il toujours en retard ? Les "
     "lycéens du groupe ont préparé les questions que les visiteurs trouveront sur le mur de la borne."),
    ("91", "Planète Sciences forme les animateurs aux capteurs de passage",
     "Une journée pour apprendre à brancher, lire et expliquer un compteur de passages.",
     "Les animateurs des maisons de quartier de l’Essonne ont monté un compteur de passages et tracé la courbe de "
     "fréquentation d’une journée. Ils animeront l’atelier « compte les passants » pendant l’exposition."),
    ("77", "Melun : un questionnaire sur les trajets domicile-travail",
     "Le groupe de citoyens de Seine-et-Marne a interrogé 200 voyageurs sur le quai de la gare.",
     "Temps de trajet, correspondances, retards : les résultats du questionnaire seront présentés lors de "
     "l’inauguration à l’Espace culturel Saint-Jean."),
    ("78", "Mantes-la-Jolie : les jeunes du Val Fourré filment leurs trajets",
     "Un court-métrage réalisé avec l’ASTS sera projeté pendant l’exposition.",
     "Caméra au poing, six jeunes ont suivi leurs trajets vers le lycée, le club de sport et la gare. Le film sera "
     "projeté lors d’un ciné-débat à la médiathèque."),
    ("92", "Nanterre : les étudiants préparent une balade urbaine",
     "Du campus à La Défense, une balade pour observer les flux de piétons.",
     "Avec Paris Montagne, les étudiants du groupe de citoyens ont repéré les endroits où la foule se forme et se "
     "défait : une balade commentée ouvrira l’exposition à Nanterre."),
    ("75", "Paris : la saison Mobilités se terminera à l’Espace des sciences",
     "Dernière étape de la tournée, l’exposition accueillera les huit groupes de citoyens pour un bilan.",
     "Après deux années de tournée, l’exposition s’installera rue Vauquelin. Les huit groupes de citoyens y "
     "présenteront ensemble leurs contributions."),
]


def _pdf(title: str) -> bytes:
    """A small valid one-page PDF, standing in for a partner's activity sheet."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 60 760 Td (" + text + b") Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


RESOURCES = [  # département, kind, licence, title, title en, description, author, file?, link
    ("93", "fiche", "cc-by-sa", "Fiche d’activité : le bouchon fantôme en classe", "Activity sheet: the phantom jam",
     "Une séance de 50 minutes pour le cycle 4 : rejouer un anneau de circulation avec des élèves.",
     "Science Ouverte", True, ""),
    ("91", "fiche", "cc-by", "Fiche d’activité : compter les passants", "Activity sheet: counting passers-by",
     "Construire un compteur de passages et lire une courbe de fréquentation.", "Planète Sciences Île-de-France",
     True, ""),
    ("75", "presse", "reserved", "Dossier de presse de la saison Mobilités", "Press kit of the Mobilities season",
     "Le projet, les huit étapes, les contacts presse.", "Coordination QSEC²", True, ""),
    ("95", "contribution", "cc-by-nc", "Témoignages du groupe des Doucettes", "Testimonies of the Doucettes group",
     "Transcription des témoignages recueillis par le groupe de citoyens.", "Groupe de citoyens du Val-d’Oise",
     True, ""),
    ("94", "ressource", "etalab", "Enquête globale transport : les déplacements en Île-de-France",
     "Household travel survey: journeys in Île-de-France",
     "Les chiffres de référence sur les déplacements des Franciliens.", "Île-de-France Mobilités", False,
     "https://www.iledefrance-mobilites.fr"),
    ("92", "ressource", "cc-by", "Modéliser une foule : le modèle de la force sociale",
     "Modelling a crowd: the social force model", "Une introduction accessible au modèle utilisé dans la borne Foules.",
     "Paris Montagne", True, ""),
]


def stop_dates(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Eight stops of seven weeks with a week between; the second one runs today (its 33rd day)."""
    first = today - dt.timedelta(days=32 + 56)
    return [(first + dt.timedelta(days=56 * i), first + dt.timedelta(days=56 * i + 48)) for i in range(8)]


def make_season(today: dt.date | None = None) -> dict[str, str]:
    """Fill an empty database; return {username: password} of the accounts made."""
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    logins: dict[str, str] = {}
    with transaction.atomic():
        deps = {}
        for code, name, operator, url, phone in OPERATORS:
            seed = next(v for v in VENUES if v.departement == code)
            deps[code] = Departement.objects.create(code=code, name=name, operator=operator, operator_url=url,
                                                    operator_phone=phone, citizens_group=seed.group)
        for seed, (starts, ends) in zip(VENUES, stop_dates(today)):
            venue = Venue.objects.create(
                departement=deps[seed.departement], slug=seed.slug, name=seed.name, town=seed.town,
                address=seed.address, latitude=seed.lat, longitude=seed.lon, opening_hours=HOURS,
                opening_hours_en=HOURS_EN, partners=seed.partners, access="Accessible en fauteuil roulant.",
                access_en="Wheelchair accessible.",
                description=f"L’exposition « Mobilités » s’installe à {seed.town} avec {deps[seed.departement].operator}. "
                            f"Groupe de citoyens : {seed.group}")
            TourStop.objects.create(venue=venue, starts=starts, ends=ends)
            for offset, hour, hours, kind, title, title_en, audience, audience_en in EVENT_PLAN:
                start = dt.datetime.combine(starts + dt.timedelta(days=offset),
                                            dt.time(int(hour), int(60 * (hour % 1))), tz)
                description, description_en = DESCRIPTIONS.get(kind, ("", ""))
                AgendaEvent.objects.create(
                    venue=venue, slug=f"{kind}-{seed.slug}-{offset}", kind=kind, title=title, title_en=title_en,
                    starts=start, ends=start + dt.timedelta(hours=hours), audience=audience, audience_en=audience_en,
                    place="Auditorium" if kind in ("cine-debat", "debat") else "Espace exposition",
                    place_en="Auditorium" if kind in ("cine-debat", "debat") else "Exhibition space",
                    description=description, description_en=description_en,
                    booking="Sur réservation auprès de la médiathèque" if kind == "scolaires" else "")
        for n, (code, title, summary, body) in enumerate(NEWS):
            NewsPost.objects.create(departement=deps[code], slug=f"actualite-{code}-{n + 1}", title=title,
                                    summary=summary, body=body, published_on=today - dt.timedelta(days=3 + 9 * n))
        for code, kind, licence, title, title_en, description, author, has_file, link in RESOURCES:
            item = Resource(departement=deps[code], kind=kind, licence=licence, title=title, title_en=title_en,
                            description=description, author=author, link=link)
            if has_file:
                item.file = ContentFile(_pdf(title), name="fiche.pdf")
            item.full_clean()
            item.save()
        password = secrets.token_urlsafe(9)
        User.objects.create_superuser("coordination", "", password)
        logins["coordination"] = password
        for code in deps:
            password = secrets.token_urlsafe(9)
            user = User.objects.create_user(f"operateur-{code}", "", password, is_staff=True,
                                            first_name=deps[code].operator[:30])
            Operator.objects.create(user=user, departement=deps[code])
            logins[user.username] = password
    return logins
