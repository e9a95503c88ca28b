import pytest

from bot.incidents.library import DEFAULT_LIBRARY, load_library
from bot.incidents.similarity import SimilarityIndex


@pytest.fixture(scope="session")
def library():
    loaded = load_library(DEFAULT_LIBRARY)
    assert not loaded.errors, loaded.errors
    return loaded.incidents


@pytest.fixture(scope="session")
def index(library):
    return SimilarityIndex(library)
