"""Local fake upstreams (SSB, KLASS, nav.no) served over real sockets on 127.0.0.1."""
