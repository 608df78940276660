"""The plain-language read-out above the road: what is happening, in one sentence, then the figures."""
from __future__ import annotations

from kiosk import formats


def _hours(seconds: float, lang: str = "fr") -> str:
    return formats.number(seconds / 3600, lang, 1)


def readout_lines(station, _t) -> list[str]:
    """[headline, figures] in the live language; `_t` translates a French source string."""
    m = station.model
    lang = station.ctx.i18n.lang
    stopped = m.stopped_count()
    figures = (_t("{n} voitures · {v} km/h en moyenne · {k} à l’arrêt")
               .replace("{n}", str(m.x.size)).replace("{v}", formats.number(m.mean_speed_kmh(), lang)).replace("{k}", str(stopped)))
    if m.smart.any():
        figures += " · " + _t("la voiture calme est en blanc")
    ch = station.challenge
    if station.preparing:      # an open road filling before play: the story (or the rule), and the progress
        fill = _t("La route se remplit… {p} %").replace("{p}", str(int(100 * station.fill_fraction())))
        if ch is not None:
            return [_t("Défi : touchez le feu pour laisser passer la bretelle. Reste {n} s.").replace("{n}", str(int(ch.seconds))), fill]
        return [_t(station.scenario.summary) if station.scenario.summary else fill, fill]
    if ch is not None:
        left = max(0, int(ch.seconds - ch.elapsed(m)))
        head = _t("Défi : touchez le feu pour laisser passer la bretelle. Reste {n} s.").replace("{n}", str(left))
        return [head, _t("Temps de trajet de toutes les voitures : {h} h (le moins possible !)").replace("{h}", _hours(ch.score(m), lang))]
    result = station.last_result
    if result is not None and m.road.ramp:
        head = _t("Votre score : {h} h de trajet en tout.").replace("{h}", _hours(result["score_s"], lang))
        ref = result["reference_s"]
        if ref is None:
            return [head, figures]
        verdict = (_t("Bravo, mieux que sans feu ({r} h) !") if result["score_s"] < ref
                   else _t("Sans feu : {r} h. Retentez votre chance !"))
        return [head, verdict.replace("{r}", _hours(ref, lang))]
    if station.frames < station.summary_until and station.scenario.summary:
        head = _t(station.scenario.summary)
    elif stopped and station.wave is not None and -40 < station.wave < -5:   # standing jams do not "move back"; early noise
        head = _t("Cet embouteillage recule à {c} km/h, à contre-sens des voitures !").replace("{c}", f"{-station.wave:.0f}")
    elif stopped:
        head = _t("Des voitures sont à l’arrêt : un bouchon se forme.")
    elif m.road.ring:
        head = _t("Circulation fluide. Touchez une voiture pour la faire freiner !")
    elif m.road.ramp:
        head = _t("Circulation fluide. Touchez le feu de la bretelle pour l’allumer.")
    else:
        head = _t("Circulation fluide pour l’instant.")
    return [head, figures]


def fit_headline(fonts, text: str, width: int, height: int):
    """(font, lines): the first of `fonts` (largest first) whose wrapped `text` fits `height`; else the last."""
    from kiosk.ui.widgets import wrap_text
    for font in fonts:
        lines = wrap_text(font, text, width)
        if len(lines) * font.get_linesize() <= height:
            break
    return font, lines
