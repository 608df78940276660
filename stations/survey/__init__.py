"""« Mes mobilités »: the season's survey, everyone's answers, and a QR code to take home."""
from stations.survey.station import SurveyStation as Station

__all__ = ["Station"]
