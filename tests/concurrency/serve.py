"""Run the app on a real threaded HTTP server, for the concurrency tests.

``python -m tests.concurrency.serve DATABASE_URI`` serves the test configuration on that
database at a free 127.0.0.1 port and prints the port on its first line.
"""

from __future__ import annotations

import sys

from werkzeug.serving import make_server

from app import create_app
from app.config import TestConfig, uppercase_settings


def main(database_uri: str) -> None:
    app = create_app({**uppercase_settings(TestConfig), "SQLALCHEMY_DATABASE_URI": database_uri})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
