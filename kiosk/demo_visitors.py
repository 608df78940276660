"""What simulated visitors write, draw and answer in kiosk.demo_data's month (never shown as real).

- Wall: plausible texts for each question of config/content/wall.toml (season « Mobilités »), mostly
  French, some English for visitors who switched language; drawings from kiosk.demo_drawings, alone or
  with words; a few off-topic messages (a name, a keyboard row, a social handle) that the mediator
  rejects. Payloads carry only what stations/wall/station.py records: question, flags, text?,
  drawing_sha256?, lang. Flags are what the wall's pre-check finds in the text (a test checks them).
- Crowd and traffic: what the stations record when a visitor leaves a scenario they played with
  (stations/crowd/attempt.py, stations/traffic/visit.py), on the shipped scenarios, with figures the
  models give there (kiosk.demo_groups cites them).
- Survey: one visitor's pass through « Mes mobilités » (config/content/survey.toml): most who start
  finish, skipping a question now and then; the others leave after one to four answers. Choice shares
  are rough guesses for a library in Seine-Saint-Denis (as stations/survey/demo.py), not data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kiosk import demo_drawings
from kiosk.demo_groups import SCORES

# (lang, text) per question id. Written in visitors' voices: some without capitals or accents, as typed
# on a touch keyboard.
WALL_TEXTS: dict[str, list[tuple[str, str]]] = {
    "others": [
        ("fr", "Dans le 148 je croise toujours les mêmes personnes le matin. On a fini par se dire bonjour."),
        ("fr", "Quand je suis à vélo les gens ne me voient pas. À pied je les regarde plus."),
        ("fr", "Dans le RER B bondé tout le monde se colle mais personne ne se parle."),
        ("fr", "J'ai rencontré ma meilleure amie à l'arrêt de bus devant le collège"),
        ("fr", "En voiture on s'énerve vite contre les autres. Dans le tram on se laisse la place."),
        ("fr", "ma mere veut pas que je prenne le metro toute seule alors je connais tous les chauffeurs de bus"),
        ("fr", "Depuis que je vais au travail à pied, je connais les commerçants de ma rue."),
        ("fr", "On se bouscule sur le quai puis on s'excuse. C'est ça, vivre ensemble ?"),
        ("fr", "Avec mon fauteuil roulant je dépends des autres quand l'ascenseur de la gare est en panne."),
        ("fr", "Le covoiturage pour aller à l'usine, c'est devenu une bande de copains."),
        ("fr", "je fais du roller jusqu'a la mediatheque et les petits me regardent passer"),
        ("fr", "Les gens regardent leur téléphone dans le métro. Avant on lisait, on se regardait un peu."),
        ("fr", "Dans le bus j'aide les dames avec leurs courses. Ma grand-mère ferait pareil."),
        ("fr", "Quand on prend tous le même train on finit par se reconnaître, sans se connaître."),
        ("en", "On the bus everybody stares at their phone. I miss chatting with strangers."),
        ("en", "Cycling to work I wave at the same runner every morning. Never met him."),
    ],
    "collective": [
        ("fr", "Une foule, ce n'est pas juste des gens : chacun regarde les autres pour savoir où aller."),
        ("fr", "Non ! Dans la simulation, si une seule personne ralentit, tout le monde derrière ralentit."),
        ("fr", "Le bouchon fantôme c'est fou : personne n'a freiné fort et pourtant tout s'arrête."),
        ("fr", "À la sortie du stade on avance comme un seul corps. On ne décide plus vraiment."),
        ("fr", "Un banc de poissons ne sait pas qu'il est un banc de poissons."),
        ("fr", "oui et non. chacun fait son chemin mais on suit tous les fleches"),
        ("fr", "Dans une manif on marche ensemble et on devient plus fort que la somme."),
        ("fr", "Dans le couloir de la gare on fait deux files sans se parler. Personne ne l'a décidé."),
        ("fr", "Si tout le monde sort par la même porte ça bloque. Il faut penser aux autres sorties."),
        ("fr", "Une chorégraphie, ce sont des mouvements individuels, mais il faut écouter le groupe."),
        ("fr", "Le poteau devant la sortie qui fait sortir plus vite, je ne l'aurais jamais cru !"),
        ("en", "A traffic jam is made by everyone and wanted by no one."),
        ("en", "Like starlings: no leader, everyone just watches their neighbours."),
    ],
    "city": [
        ("fr", "Quand le tram est arrivé, la rue a changé : plus de vélos, plus de terrasses."),
        ("fr", "La ligne 15 va tout changer chez nous. J'espère que les loyers ne vont pas exploser."),
        ("fr", "Devant l'école c'est devenu une rue piétonne le matin. Les enfants jouent au lieu d'attendre."),
        ("fr", "Il faudrait des trottoirs plus larges, avec une poussette c'est l'enfer."),
        ("fr", "Le périph coupe la ville en deux. On pourrait en faire un boulevard avec des arbres."),
        ("fr", "La piste cyclable le long du canal de l'Ourcq, c'est devenu ma promenade du dimanche."),
        ("fr", "Plus de bancs ! Ma grand-mère ne peut pas marcher dix minutes sans s'asseoir."),
        ("fr", "La ville est faite pour les voitures : des parkings partout et les parcs trop loin."),
        ("fr", "les trottinettes garées n'importe comment sur le trottoir ça m'enerve"),
        ("fr", "Les centres commerciaux sont au bord des autoroutes, alors on est obligés de prendre la voiture."),
        ("fr", "Quand la gare a été refaite, tout le quartier s'est mis à bouger autour."),
        ("en", "Wider pavements, fewer cars, more trees. That's all."),
    ],
    "dream_trip": [
        ("fr", "Un téléphérique de chez moi jusqu'au lycée, au-dessus des bouchons !"),
        ("fr", "aller a l'ecole en trottinette volante"),
        ("fr", "Un train de nuit jusqu'à Dakar pour voir ma famille."),
        ("fr", "Traverser Paris à vélo le long de la Seine sans croiser une seule voiture."),
        ("fr", "Un bus gratuit qui passe toutes les deux minutes, même le dimanche soir."),
        ("fr", "Le tour du monde en voilier avec mes enfants."),
        ("fr", "La téléportation !!! Fini le RER B en panne"),
        ("fr", "Marcher de la médiathèque jusqu'à la mer en suivant les canaux."),
        ("fr", "Un toboggan géant de ma chambre jusqu'à la cour de récré"),
        ("fr", "Prendre le Transsibérien jusqu'à Vladivostok avec une pile de livres."),
        ("fr", "Un métro qui fait le tour de la banlieue sans passer par Paris (ça arrive bientôt ?)"),
        ("fr", "En montgolfière au-dessus de la Seine-Saint-Denis, pour voir tout le département d'en haut."),
        ("fr", "Une piste cyclable couverte, avec des arbres, de Bondy jusqu'au lycée. Même quand il pleut."),
        ("fr", "Partir à pied avec ma fille, sans but, et dormir chez l'habitant."),
        ("fr", "Le RER B à l'heure tous les matins. C'est tout, c'est déjà un rêve."),
        ("fr", "Traverser l'Afrique en camion comme mon oncle quand il était jeune."),
        ("fr", "Un bateau-bus sur le canal de l'Ourcq jusqu'à la Villette."),
        ("en", "A night train from Paris to Lisbon, with a bed and a big window."),
        ("en", "A cable car over the ring road!"),
    ],
    "cultures": [
        ("fr", "Ma grand-mère a pris le bateau pour venir. Moi je prends le RER B."),
        ("fr", "À la maison on parle arabe, français et un peu kabyle. Trois langues pour dire bonjour."),
        ("fr", "Mon quartier sent le thiéboudienne, le couscous et le pain chaud. Ça aussi ce sont des voyages."),
        ("fr", "Mon père est venu du Portugal en 1970. Il a construit les routes d'ici."),
        ("fr", "Dans ma classe on est 26 et on parle 11 langues."),
        ("fr", "Les mots de tous les jours viennent de partout : algèbre, pyjama, ketchup, chouchou."),
        ("fr", "Ma famille est au Mali, à Paris et à Montréal. On se retrouve tous les soirs sur le téléphone."),
        ("fr", "Le marché de Saint-Denis, c'est un voyage sans prendre l'avion."),
        ("fr", "Mes parents sont venus du Vietnam. Ils m'ont appris qu'on peut tout recommencer."),
        ("fr", "J'ai appris des mots de tamoul avec ma voisine, et elle des mots de créole avec ma mère."),
        ("fr", "Mon grand-père racontait son voyage en train depuis la Pologne. Je veux le refaire un jour."),
        ("en", "My family came from Sri Lanka. We brought our food, our songs and our cricket bats."),
        ("en", "Moving to France taught me that home can be more than one place."),
    ],
}
# Off-topic messages the mediator rejects: (text, flags the pre-check raises). None: a drawing only.
OFF_TOPIC: list[tuple[str | None, list[str]]] = [
    ("coucou c'est Inès et Maëlle !!!", []),
    ("azertyuiop", []),
    ("Yanis était là", []),
    ("vive le PSG", []),
    ("jsp quoi écrire", []),
    ("abonnez-vous @mehdi_93_officiel", ["handle"]),
    ("appelle moi 06 12 34 56 78", ["phone"]),
    ("test test", []),
    (None, []),
    (None, []),
]
# Share of messages with a drawing, by question ("Dessinez ou racontez" invites drawing).
DRAWING_SHARE = {"dream_trip": 0.55, "city": 0.3, "others": 0.2, "collective": 0.2, "cultures": 0.25}
DRAWING_ONLY = 0.4                 # of the drawings: no words with it
OFF_TOPIC_SHARE = 0.1
QUESTION_WEIGHTS = {"others": 0.22, "collective": 0.14, "city": 0.2, "dream_trip": 0.3, "cultures": 0.14}


@dataclass
class WallWriter:
    """Deals the texts like cards (each used once before any comes back), so a month's mosaic shows
    different contributions. Drawings are written under data_dir as the wall station writes them."""
    data_dir: Path
    rng: np.random.Generator
    _decks: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def message(self, lang: str, *, drawing: bool | None = None) -> tuple[dict[str, Any], bool]:
        """(wall.message payload, off_topic); `drawing` imposes whether it has one."""
        rng = self.rng
        if drawing is None and rng.random() < OFF_TOPIC_SHARE:
            text, flags = OFF_TOPIC[int(rng.integers(len(OFF_TOPIC)))]
            question = str(rng.choice(list(QUESTION_WEIGHTS)))
            payload: dict[str, Any] = {"question": question, "flags": list(flags), "lang": lang}
            if text is None:
                payload["drawing_sha256"] = self._drawing(demo_drawings.scribble(rng))
            else:
                payload["text"] = text
            return payload, True
        ids = list(QUESTION_WEIGHTS)
        question = str(rng.choice(ids, p=np.array([QUESTION_WEIGHTS[q] for q in ids])))
        payload = {"question": question, "flags": [], "lang": lang}
        drawing = rng.random() < DRAWING_SHARE[question] if drawing is None else drawing
        if not drawing or rng.random() >= DRAWING_ONLY:
            payload["text"] = self._deal(question, lang)
        if drawing:
            payload["drawing_sha256"] = self._drawing(demo_drawings.scene(question, rng))
        return payload, False

    def _deal(self, question: str, lang: str) -> str:
        texts = [t for lg, t in WALL_TEXTS[question] if lg == lang] or [t for _, t in WALL_TEXTS[question]]
        deck = self._decks.setdefault((question, lang), [])
        if not deck:
            deck.extend(texts[i] for i in self.rng.permutation(len(texts)))
        return deck.pop()

    def _drawing(self, strokes) -> str:
        png = demo_drawings.encode_png(demo_drawings.rasterise(strokes))
        return demo_drawings.write_drawing(self.data_dir, png)


# -- survey ----------------------------------------------------------------------------------------
SURVEY_WEIGHTS = {   # question id -> {choice id: relative weight}; choices not listed weigh 1
    "came_by": {"walk": 35, "bus": 20, "rail": 15, "tram": 7, "bike": 6, "scooter": 4, "car": 9, "carpool": 2, "other": 2},
    "trip_time": {"lt15": 45, "15to30": 30, "30to60": 18, "gt60": 7},
    "usual": {"walk": 30, "bus": 25, "rail": 25, "tram": 8, "bike": 8, "scooter": 5, "car": 15, "carpool": 2, "none": 8},
    "home_area": {"93": 70, "95": 6, "75": 8, "94": 5, "92": 3, "77": 2, "78": 1, "91": 1, "france": 3, "abroad": 1},
    "would_change": {"more_transit": 30, "safe_bike_lanes": 18, "cheaper": 22, "faster": 25, "less_crowded": 20,
                     "safer": 15, "accessible": 8, "nothing": 12},
}
FINISH_SHARE = 0.72                # of visitors who start the survey, those who reach its end
SKIP_SHARE = 0.07                  # a question skipped (« Passer ») on the way
ABANDON_AFTER = (0.15, 0.35, 0.25, 0.15, 0.10)   # questions seen before leaving: 0, 1, 2, 3, 4
SECONDS_PER_QUESTION = 9.0         # reading, choosing, confirming


def survey_pass(questions: list[tuple[str, list[str], bool]],
                rng: np.random.Generator) -> tuple[list[tuple[str, list[str]]], int, bool]:
    """One visitor's pass: (answers as (question, choices) in order, questions seen, finished)."""
    n = len(questions)
    finished = rng.random() < FINISH_SHARE
    seen = n if finished else min(n - 1, int(rng.choice(len(ABANDON_AFTER), p=ABANDON_AFTER)))
    answers = []
    for qid, choices, multiple in questions[:seen]:
        if rng.random() < SKIP_SHARE:
            continue
        w = np.array([SURVEY_WEIGHTS.get(qid, {}).get(c, 1) for c in choices], dtype=float)
        k = min(len(choices), int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15]))) if multiple else 1
        picked = set(rng.choice(choices, size=k, replace=False, p=w / w.sum()))
        answers.append((qid, [c for c in choices if c in picked]))   # in the screen's order, as the station
    return answers, seen, finished


# -- crowd and traffic -----------------------------------------------------------------------------
# scenario id -> (share, people, evacuation time range in s, or None where people keep walking)
CROWD = {"evacuation": (0.45, 200, SCORES["evacuation_time_s"]), "bottleneck": (0.2, 150, (80.0, 120.0)),
         "corridor": (0.15, 40, None), "platform": (0.1, 120, None), "four-exits": (0.1, 1000, (150.0, 260.0))}
TRAFFIC = {"ring": 0.3, "sugiyama": 0.25, "onramp": 0.2, "roadworks": 0.1, "calm-car": 0.1, "nasch": 0.05}
CROWD_ACTIONS = ("pillar", "hurry", "wall", "exit")


def crowd_attempt(rng: np.random.Generator, seconds: float) -> dict[str, Any]:
    """The crowd.attempt a visitor leaves after `seconds` on the station."""
    ids = list(CROWD)
    scenario = str(rng.choice(ids, p=np.array([CROWD[i][0] for i in ids])))
    _, people, times = CROWD[scenario]
    finished = times is not None and rng.random() < 0.7
    evacuation = round(float(rng.uniform(*times)), 1) if finished else None
    hurry = round(float(rng.uniform(0, 1)), 3)
    changes = [{"t_s": round(float(t), 1), "action": str(rng.choice(CROWD_ACTIONS))}
               for t in np.sort(rng.uniform(0, seconds, int(rng.integers(1, 6))))]
    return {"scenario": scenario, "evacuation_time_s": evacuation, "agents": people,
            "agents_remaining": 0 if finished else int(rng.integers(1, people)),
            "simulated_s": evacuation if finished else round(seconds * 0.8, 1), "hurry": hurry,
            "desired_speed_m_s": round(1.0 + 4.0 * hurry ** 2, 2),
            "pillars": sum(c["action"] == "pillar" for c in changes), "walls": sum(c["action"] == "wall" for c in changes),
            "closed_exits": [], "parameters": {}, "lane_order": None, "changes": changes}


def traffic_attempt(rng: np.random.Generator, seconds: float) -> dict[str, Any]:
    """The traffic.attempt of a visitor who played with a scenario (taps make jams), then left."""
    ids = list(TRAFFIC)
    scenario = str(rng.choice(ids, p=np.array([TRAFFIC[i] for i in ids])))
    jammed = rng.random() < 0.6
    return {"scenario": scenario, "mode": "explore", "left_by": str(rng.choice(["exit", "scenario"])),
            "seconds": round(seconds, 1), "taps": int(rng.integers(1, 8)), "changes": {},
            "vehicles": int(rng.integers(16, 23)) if scenario in ("ring", "sugiyama") else int(rng.integers(30, 90)),
            "mean_speed_kmh": round(float(rng.uniform(11, 30) if jammed else rng.uniform(30, 48)), 1),
            "stopped_vehicles": int(rng.integers(1, 9)) if jammed else 0,
            "wave_speed_kmh": round(float(rng.uniform(-20, -12)), 1) if jammed else None}
