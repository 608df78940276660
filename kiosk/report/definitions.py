"""definitions.txt: what every figure of the report counts, in French then English, for funders."""
from __future__ import annotations

FRENCH = """\
QSEC² — Mobilités : rapport de fréquentation et d’usage
Lieu : {venue} (kiosque {kiosk_id})
Période : du {first} au {last} inclus, en heure locale ({tz}). Rapport produit le {generated}.

Format des fichiers
- Un fichier CSV par tableau, encodé en UTF-8 (avec BOM pour les tableurs), première ligne = en-têtes.
- Séparateur « ; » et virgule décimale, comme les tableurs en français. Dates AAAA-MM-JJ et heures en
  heure locale du lieu (changements d’heure compris : le 25/10/2026 compte 25 heures, le 28/03/2027 23).
- Une case vide signifie « pas de donnée », jamais zéro.
- Si l’horloge du kiosque s’est déréglée (revenue au 1er janvier 1970 après une coupure de courant, ou
  en avance de plusieurs jours), chaque événement compte à l’heure que le kiosque a estimée d’après son
  propre chronomètre, jamais à l’heure fausse. Combien : evenements_dates_par_estimation
  (qualite_kiosque.csv).

Ce qui est compté
- Visite (entrée) : un passage vers l’intérieur détecté par le compteur de passages de la porte
  (événement footfall.minute). Une même personne qui entre deux fois compte deux visites. Les sorties
  sont comptées à part. Sans compteur installé, la fréquentation n’est pas mesurée : le rapport le dit.
- Heure ou jour sans donnée : ni passage enregistré ni compteur connecté (débranché, kiosque éteint).
  Une heure où le compteur était connecté et n’a vu personne compte 0.
- Personnes présentes maintenant : entrées moins sorties depuis le début du jour (estimation ; le
  compteur ne distingue pas les personnes).
- Session : l’utilisation du kiosque par un visiteur, du premier toucher jusqu’à la remise à zéro après
  {idle} s sans toucher et {warn} s de compte à rebours « Encore là ? », ou jusqu’à ce qu’un médiateur la termine, ou la fermeture.
  Le temps d’inactivité avant la remise à zéro n’est pas compté dans la durée. Une session est comptée
  le jour et à l’heure de son début.
- Taux d’utilisation : sessions / entrées, sur les seuls jours où le compteur a transmis des données.
  Une personne peut ouvrir plusieurs sessions : c’est un rapport, pas une part de personnes.
- Visite d’une activité : une entrée dans une activité (station) pendant une session. Durée : temps
  passé dans l’activité à cette visite. Médiane : la moitié des visites durent moins. « 3 visites
  sur 4 durent moins de » : 75e centile (interpolation linéaire).
- Contributions : messages déposés sur le mur pendant la période, et leur état de modération
  aujourd’hui (la dernière décision d’un médiateur) : approuvé, refusé ou en attente. Réponses au
  sondage : une réponse par question répondue.
- Groupes scolaires : groupes démarrés par un médiateur pendant la période, par niveau, avec le nombre
  d’élèves et d’accompagnateurs déclaré (jamais de nom).
- Qualité des données : minutes des heures d’ouverture pendant lesquelles un capteur était hors ligne
  (ou pas encore relu après un redémarrage) ; démarrages du kiosque, dont ceux qui suivent un arrêt
  imprévu (plantage ou coupure de courant : pas d’arrêt enregistré) ; erreurs d’activités, et à part
  celles du kiosque lui-même (écrans, espace médiation, groupes, capteurs, envoi) ; événements
  pas encore envoyés au site (si l’envoi est configuré).

Ce qui est exclu
- Aucune donnée personnelle : pas de nom, pas d’image, pas d’adresse ; un identifiant de session
  aléatoire ne relie pas deux visites d’une même personne.
- Les passages hors des heures d’ouverture sont comptés s’ils sont enregistrés (le lieu peut ouvrir
  pour un événement) ; les minutes hors ligne ne comptent que pendant les heures d’ouverture.
- Les activités du mode médiateur (connexions, modération) ne sont pas des sessions de visiteurs.

Fichiers
- synthese.csv : les chiffres clés de la période.
- frequentation_par_jour.csv : par jour, entrées, sorties, sessions, minutes où le compteur était hors ligne.
- frequentation_par_heure.csv : par jour et heure locale, entrées, sorties, sessions.
- frequentation_jour_semaine_heure.csv : entrées moyennes par jour de la semaine et heure (moyenne sur
  les jours où l’heure a des données).
- activites.csv : par activité, visites, durée médiane et 75e centile en secondes.
- contributions.csv, groupes_scolaires.csv, qualite_capteurs.csv, qualite_kiosque.csv.
- synthese.png : le résumé visuel d’une page.
"""

ENGLISH = """\
QSEC² — Mobilités: footfall and use report
Venue: {venue} (kiosk {kiosk_id})
Period: {first} to {last} inclusive, in local time ({tz}). Report made on {generated}.

File format
- One CSV file per table, UTF-8 (with a BOM for spreadsheets), first line = headers (French names).
- ";" separator and decimal comma, as French spreadsheets expect. Dates YYYY-MM-DD and hours in the
  venue's local time (clock changes included: 2026-10-25 has 25 hours, 2027-03-28 has 23).
- An empty cell means "no data", never zero.
- If the kiosk's clock went wrong (back to 1 January 1970 after a power cut, or days ahead), each event
  counts at the time the kiosk estimated from its own running clock, never at the wrong time. How many:
  evenements_dates_par_estimation (qualite_kiosque.csv).

What is counted
- Visit (entrées): one inward passage detected by the door's footfall counter (footfall.minute event).
  The same person entering twice counts twice. Exits (sorties) are counted apart. Without a counter,
  footfall is not measured, and the report says so.
- Hour or day without data: no passage recorded and no counter connected (unplugged, kiosk off). An
  hour in which the counter was connected and saw nobody counts 0.
- People inside now: entries minus exits since the start of the day (an estimate).
- Session: one visitor's use of the kiosk, from the first touch to the reset after {idle} s without a
  touch and a {warn} s "Still there?" countdown, a mediator ending it, or closing time. The idle time before the reset is not
  counted in its duration. A session counts on the day and hour it started.
- Use rate (taux d'utilisation): sessions / entries, over the days on which the counter reported only.
  One person may start several sessions: it is a ratio, not a share of people.
- Station visit: entering one station during a session. Dwell time: time spent in that station on that
  visit. Median: half the visits are shorter. "3 visites sur 4 durent moins de": 75th percentile
  (linear interpolation).
- Contributions: wall messages submitted in the period and their moderation state today (a mediator's
  latest decision): approved, rejected or waiting. Survey answers: one per question answered.
- School groups: groups started by a mediator in the period, by level, with the declared number of
  pupils and accompanying adults (never names).
- Data quality: opening-hour minutes during which a sensor was offline (or not yet read again after a
  restart); kiosk starts, and those after an unexpected stop (crash or power cut: no stop recorded);
  station errors, and apart from them the kiosk's own (screens, mediator pages, groups, sensors,
  upload); events not yet uploaded to the website (when upload is configured).

What is excluded
- No personal data: no names, images or addresses; a random session id never links two visits of
  one person.
- Passages outside opening hours are counted when recorded (a venue may open for an event); offline
  minutes only count during opening hours.
- Mediator-mode activity (logins, moderation) is not a visitor session.

Files: see the French list above (same names).
"""


def definitions_text(*, venue: str, kiosk_id: str, first: str, last: str, tz: str, generated: str,
                     idle_timeout_s: float, idle_warning_s: float) -> str:
    fields = dict(venue=venue, kiosk_id=kiosk_id, first=first, last=last, tz=tz, generated=generated,
                  idle=f"{idle_timeout_s:g}", warn=f"{idle_warning_s:g}")
    return FRENCH.format(**fields) + "\n" + "=" * 72 + "\n\n" + ENGLISH.format(**fields)
