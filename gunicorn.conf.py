"""gunicorn settings for `make serve` and for the load benchmark (benchmarks/load/run.py).

One file, so the benchmark measures what a school deploys. Settings from the environment:

    BIND        address to listen on                  (127.0.0.1:8000; nginx in front)
    WORKERS     processes                             (1 per CPU + 1)
    THREADS     threads per process                   (4)
    ACCESS_LOG  file for the access log, "-" = stdout ("-"; empty = none)

Threads ("gthread") rather than one request per process ("sync"): students' browsers keep
their connections open between pages, and a class opening a lesson at once must not wait
behind each other's idle connections. Requests are short (a few milliseconds of CPU) and
spend a good part of it waiting for PostgreSQL, which the threads cover; the processes
are what use the cores, and one more than there are cores was the best of the settings
the load benchmark tried on 2 cores (2, 3, 4 and 5 processes × 2, 4 and 8 threads).
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WORKERS") or (os.cpu_count() or 1) + 1)
worker_class = "gthread"
threads = int(os.environ.get("THREADS") or 4)
# A class of 300 connecting in the same second must not be refused by the kernel.
backlog = 2048
# Seconds an idle keep-alive connection stays open (a student reading the next page).
keepalive = 5
timeout = 60
graceful_timeout = 30
accesslog = os.environ.get("ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = "info"
