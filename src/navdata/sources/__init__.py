"""The publishers navdata fetches from: ``ssb`` (PxWebApi v2), ``klass`` (SSB codes), ``nav``."""

__all__: list[str] = []
