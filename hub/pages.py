"""The public pages behind the kiosks' QR codes: /c/{code} (a survey visit or a wall message) and
/g/{code} (a school group's take-home page). Self-contained HTML (no external assets, inline CSS),
French first with an English line under each heading, every value escaped.

A wall message shows only once its latest moderation decision is "approved"; until then (or once
rejected) the page says it awaits the mediation team and reveals nothing of it, not even which.
"""
from __future__ import annotations

import html
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from hub.content import Labels, text_of
from hub.lookup import GroupVisit, SurveyVisit, WallMessage

LEVELS = {"maternelle": ("Maternelle", "Nursery school"), "elementaire": ("Élémentaire", "Primary school"),
          "college": ("Collège", "Lower secondary school"), "lycee": ("Lycée", "Upper secondary school"),
          "autre": ("Autre", "Other")}

CSS = """
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f6f4ef;color:#1d1d1f;
line-height:1.45}
main{max-width:40rem;margin:0 auto;padding:1.2rem 1rem 3rem}
header{border-bottom:4px solid #e4572e;margin-bottom:1rem;padding-bottom:.4rem}
.brand{font-weight:700;letter-spacing:.04em;color:#e4572e;margin:0}
h1{font-size:1.5rem;margin:.6rem 0 0}h2{font-size:1.1rem;margin:1.4rem 0 0}
.en{color:#5f5f66;margin:.1rem 0 .6rem;font-style:italic}
section{background:#fff;border-radius:.6rem;padding:.8rem 1rem;margin:.8rem 0;box-shadow:0 1px 2px #0002}
.bar{background:#eee;border-radius:.3rem;height:.6rem;margin:.3rem 0}.bar span{display:block;height:100%;
border-radius:.3rem;background:#2e86ab}
.ok{color:#1b7f3b;font-weight:600}.ko{color:#a33;font-weight:600}
img{max-width:100%;height:auto;border-radius:.4rem;background:#fff}
blockquote{margin:.4rem 0;padding:.4rem .8rem;border-left:4px solid #2e86ab;white-space:pre-wrap;
overflow-wrap:anywhere}
footer{margin-top:2rem;font-size:.85rem;color:#5f5f66}
"""

# Nothing external may load, and nothing the data holds can run: the page needs no script at all.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
                               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # short: a message approved then rejected must disappear soon from phones and proxies
    "Cache-Control": "public, max-age=60",
}


def e(value: object) -> str:
    return html.escape(str(value), quote=True)


def heading(tag: str, fr: str, en: str) -> str:
    return f'<{tag} lang="fr">{e(fr)}</{tag}><p class="en" lang="en">{e(en)}</p>'


def page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body><main>"
        '<header><p class="brand">QSEC² — Mobilités</p>'
        '<p class="en" lang="en">Questions de Sciences, Enjeux Citoyens — a touring exhibition in Île-de-France</p>'
        f"</header>{body}"
        '<footer><p>Aucune donnée personnelle n\'est enregistrée : ce code est anonyme.</p>'
        '<p class="en" lang="en">No personal data is recorded: this code is anonymous.</p></footer>'
        "</main></body></html>\n")


def not_found_page() -> str:
    return page("Code introuvable", heading("h1", "Ce code ne mène nulle part… pour l'instant",
                                             "This code leads nowhere… for now")
                + "<section><p>Vérifiez les dix caractères du code. Une contribution faite aujourd'hui "
                  "apparaît ici après l'envoi des données de la borne, parfois le lendemain.</p>"
                  '<p class="en" lang="en">Check the ten characters of the code. A contribution made today '
                  "appears here once the kiosk has sent its data, sometimes the next day.</p></section>")


def pending_page() -> str:
    return page("En attente de validation", heading(
        "h1", "Votre message est en attente de validation par l'équipe de médiation",
        "Your message is waiting for the mediation team's approval")
        + "<section><p>Chaque message du mur est relu avant d'être affiché. Revenez sur cette page "
          "dans quelques jours.</p>"
          '<p class="en" lang="en">Every message on the wall is read before it is shown. '
          "Come back to this page in a few days.</p></section>")


def wall_page(message: WallMessage, labels: Labels, drawing_url: str | None) -> str:
    question = labels.wall_questions.get(message.question)
    body = heading("h1", "Votre contribution au mur des questions", "Your contribution to the question wall")
    body += ("<section>" + heading("h2", text_of(question, message.question, "fr"),
                                   text_of(question, message.question, "en")))
    if message.text:
        body += f"<blockquote>{e(message.text)}</blockquote>"
    if drawing_url:
        body += f'<img src="{e(drawing_url)}" alt="Votre dessin / your drawing">'
    body += "</section>"
    return page("Mur des questions", body)


def _pct(part: int, whole: int | None) -> int | None:
    return round(100 * part / whole) if whole else None


def survey_page(visit: SurveyVisit, labels: Labels, totals: dict) -> str:
    survey = totals.get("survey", {}) if isinstance(totals, dict) else {}
    venues = totals.get("venues") if isinstance(totals, dict) else None
    body = heading("h1", "Vos réponses à « Mes mobilités »", "Your answers to “My journeys”")
    if isinstance(venues, int) and venues > 0:
        body += (f"<p>Comparées aux réponses des visiteurs de {venues} lieu{'x' if venues > 1 else ''} "
                 f"de l'exposition.</p><p class=\"en\" lang=\"en\">Compared with the answers of visitors in "
                 f"{venues} venue{'s' if venues > 1 else ''} of the exhibition.</p>")
    if not visit.answers:
        body += ("<section><p>Aucune réponse n'est encore arrivée pour ce passage.</p>"
                 '<p class="en" lang="en">No answer has reached us yet for this visit.</p></section>')
    for question, choices in visit.answers:
        q_text = labels.survey_questions.get(question)
        entry = survey.get(question, {}) if isinstance(survey.get(question), dict) else {}
        answered = entry.get("answers") if isinstance(entry.get("answers"), int) else None
        body += "<section>" + heading("h2", text_of(q_text, question, "fr"), text_of(q_text, question, "en"))
        for choice in choices:
            label = labels.survey_choices.get((question, choice))
            count = entry.get("choices", {}).get(choice, 0) if isinstance(entry.get("choices"), dict) else 0
            pct = _pct(count if isinstance(count, int) else 0, answered)
            body += f'<p><strong>{e(text_of(label, choice, "fr"))}</strong>'
            if label and label.get("en") and label.get("en") != label.get("fr"):
                body += f' <span class="en" lang="en">({e(label["en"])})</span>'
            body += "</p>"
            if pct is not None:
                body += (f'<div class="bar" role="img" aria-label="{pct} %"><span style="width:{pct}%"></span></div>'
                         f"<p>{pct} % des visiteurs ont répondu comme vous.</p>"
                         f'<p class="en" lang="en">{pct}% of visitors gave the same answer.</p>')
        body += "</section>"
    return page("Mes mobilités", body)


def local_time(ts: str, tz_name: str) -> tuple[str, str]:
    """('25/11/2026 à 14:05', zone name) in the venue's zone when the hub knows it, else UTC."""
    try:
        moment = datetime.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    except ValueError:
        return ts, "UTC"
    zone_name = "UTC"
    if tz_name:
        try:
            moment, zone_name = moment.astimezone(ZoneInfo(tz_name)), tz_name
        except (KeyError, ValueError):   # ZoneInfoNotFoundError is a KeyError
            pass
    return moment.strftime("%d/%m/%Y à %H:%M"), zone_name


def _format_value(value: object, unit: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "—"
    text = f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return f"{text.replace('.', ',')} {unit}".strip()      # French decimal comma


def group_page(group: GroupVisit, labels: Labels, tz_name: str) -> str:
    activity = labels.activities.get(group.activity)
    variant = activity.variant(group.level) if activity else None
    steps = {s.id: s for s in activity.steps} if activity else {}
    level_fr, level_en = LEVELS.get(group.level, (group.level, group.level))
    when, zone = local_time(group.ts, tz_name)
    title_fr = text_of(activity.title if activity else None, group.activity, "fr")
    title_en = text_of(activity.title if activity else None, group.activity, "en")
    body = heading("h1", f"Visite de groupe : {title_fr}", f"Group visit: {title_en}")
    rows = [("Niveau", "Level", f"{level_fr} / {level_en}"),
            ("Classe", "Class", group.label or "—"),
            ("Date", "Date", f"{when} ({zone})")]
    if group.venue:
        rows.append(("Lieu", "Venue", group.venue))
    if group.pupils is not None:
        rows.append(("Élèves", "Pupils", str(group.pupils)))
    body += "<section><dl>" + "".join(
        f'<dt>{e(fr)} <span class="en" lang="en">/ {e(en)}</span></dt><dd>{e(value)}</dd>' for fr, en, value in rows)
    body += "</dl></section>"
    if activity:
        body += ("<section>" + heading("h2", "Ce que l'activité a montré", "What the activity showed")
                 + f'<p>{e(text_of(activity.summary, "", "fr"))}</p>'
                 + f'<p class="en" lang="en">{e(text_of(activity.summary, "", "en"))}</p>')
        for step in activity.steps:
            fr, en = step.pick("explanation", variant or "", "fr"), step.pick("explanation", variant or "", "en")
            if fr:
                body += f'<p>{e(fr)}</p><p class="en" lang="en">{e(en)}</p>'
        body += "</section>"
    body += "<section>" + heading("h2", "Défis", "Challenges")
    if not group.challenges:
        body += '<p>Aucun défi mesuré.</p><p class="en" lang="en">No challenge measured.</p>'
    for n, challenge in enumerate(group.challenges, 1):
        step = steps.get(challenge["step"])
        name_fr = step.pick("title", variant or "", "fr") if step else challenge["metric"]
        name_en = step.pick("title", variant or "", "en") if step else challenge["metric"]
        verdict = ('<span class="ok">réussi / succeeded</span>' if challenge["success"]
                   else '<span class="ko">pas encore / not yet</span>')
        value = _format_value(challenge["value"], step.unit if step else "")
        body += (f"<p>{n}. {e(name_fr or challenge['metric'])} <span class=\"en\" lang=\"en\">"
                 f"({e(name_en or challenge['metric'])})</span> : <strong>{e(value)}</strong> — {verdict}</p>")
    body += "</section><section>" + heading("h2", "Quiz", "Quiz")
    if not group.quiz:
        body += '<p>Aucune réponse au quiz.</p><p class="en" lang="en">No quiz answer.</p>'
    right = sum(1 for q in group.quiz if q["success"])
    if group.quiz:
        body += (f"<p>{right} bonne{'s' if right > 1 else ''} réponse{'s' if right > 1 else ''} sur {len(group.quiz)} "
                 f"du premier coup.</p><p class=\"en\" lang=\"en\">{right} of {len(group.quiz)} right first time.</p>")
    for quiz in group.quiz:
        step = steps.get(quiz["step"])
        question_fr = step.pick("title", variant or "", "fr") if step else quiz["step"]
        question_en = step.pick("title", variant or "", "en") if step else quiz["step"]
        index = quiz["value"]
        choice = (step.choices[int(index)] if step and isinstance(index, (int, float)) and not isinstance(index, bool)
                  and 0 <= int(index) < len(step.choices) else None)
        verdict = '<span class="ok">✓</span>' if quiz["success"] else '<span class="ko">✗</span>'
        body += f'<p>{verdict} {e(question_fr)} <span class="en" lang="en">({e(question_en)})</span>'
        if choice is not None:
            body += (f"<br>Réponse de la classe : {e(text_of(choice.label, '', 'fr'))} "
                     f"<span class=\"en\" lang=\"en\">(class answer: {e(text_of(choice.label, '', 'en'))})</span>")
        right_choices = [c for c in step.choices if c.correct] if step and not quiz["success"] else []
        if right_choices:
            fr = " ; ".join(text_of(c.label, "", "fr") for c in right_choices)
            en = "; ".join(text_of(c.label, "", "en") for c in right_choices)
            body += f'<br>À retenir : {e(fr)} <span class="en" lang="en">(the right answer: {e(en)})</span>'
        body += "</p>"
    body += "</section>"
    return page(f"Visite de groupe — {title_fr}", body)
