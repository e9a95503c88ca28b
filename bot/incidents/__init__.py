"""Prior similar incidents: the library (fixtures/incidents), the similarity index and its search."""

from bot.incidents.features import AccountInfo, Features, features_for
from bot.incidents.library import DEFAULT_LIBRARY, Incident, LoadError, LoadResult, load_library
from bot.incidents.similarity import Match, SimilarityIndex

__all__ = [
    "AccountInfo",
    "DEFAULT_LIBRARY",
    "Features",
    "Incident",
    "LoadError",
    "LoadResult",
    "Match",
    "SimilarityIndex",
    "features_for",
    "load_library",
]
