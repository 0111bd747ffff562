from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def shared_demo_url(tmp_path_factory) -> Iterator[str]:
    """One `kinerja serve` on the unchanged demo database for the whole session, started when a
    test first asks for it and stopped at the session's end (demo_server.py). Only for tests
    that read: a test that saves, submits, uploads or makes a report changes what the others
    see, so it keeps its own server (test_browser_workflow.py's live_server_url). Logging in
    is reading here: a session row changes no page."""
    from .demo_server import demo_server

    with demo_server(tmp_path_factory.mktemp("shared-demo")) as url:
        yield url
